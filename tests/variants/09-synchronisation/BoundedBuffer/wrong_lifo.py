# Wrong: takes items from the end of the list, so the newest comes out first (last in, first out).
# Expected: 3
class BoundedBuffer:
    def __init__(self, capacity):
        self.capacity = capacity
        self.items = []
        self.changed = asyncio.Condition()

    async def put(self, item):
        async with self.changed:
            await self.changed.wait_for(lambda: len(self.items) < self.capacity)
            self.items.append(item)
            self.changed.notify_all()

    async def get(self):
        async with self.changed:
            await self.changed.wait_for(lambda: self.items)
            item = self.items.pop()
            self.changed.notify_all()
            return item
