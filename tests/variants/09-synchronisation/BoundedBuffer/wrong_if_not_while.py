# Wrong: checks the condition with if instead of while, so a woken task goes on even when another took the item or the room first.
# Expected: 4
class BoundedBuffer:
    def __init__(self, capacity):
        self.capacity = capacity
        self.items = collections.deque()
        self.changed = asyncio.Condition()

    async def put(self, item):
        async with self.changed:
            if len(self.items) >= self.capacity:
                await self.changed.wait()
            self.items.append(item)
            self.changed.notify_all()

    async def get(self):
        async with self.changed:
            if not self.items:
                await self.changed.wait()
            item = self.items.popleft()
            self.changed.notify_all()
            return item
