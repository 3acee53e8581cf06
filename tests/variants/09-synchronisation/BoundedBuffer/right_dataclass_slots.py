# Right: a dataclass with slots=True whose fields make the deque and the Condition.
# Expected: 8
from dataclasses import dataclass, field


@dataclass(slots=True)
class BoundedBuffer:
    capacity: int
    items: collections.deque = field(default_factory=collections.deque)
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def put(self, item):
        async with self.changed:
            while len(self.items) >= self.capacity:
                await self.changed.wait()
            self.items.append(item)
            self.changed.notify_all()

    async def get(self):
        async with self.changed:
            while not self.items:
                await self.changed.wait()
            self.changed.notify_all()
            return self.items.popleft()
