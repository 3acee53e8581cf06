# Wrong: calls notify_all() after leaving the async with block, without holding the lock: RuntimeError.
# Expected: 0
class BoundedBuffer:
    def __init__(self, capacity):
        self.capacity = capacity
        self.items = collections.deque()
        self.changed = asyncio.Condition()

    async def put(self, item):
        async with self.changed:
            await self.changed.wait_for(lambda: len(self.items) < self.capacity)
            self.items.append(item)
        self.changed.notify_all()

    async def get(self):
        async with self.changed:
            await self.changed.wait_for(lambda: self.items)
            item = self.items.popleft()
        self.changed.notify_all()
        return item
