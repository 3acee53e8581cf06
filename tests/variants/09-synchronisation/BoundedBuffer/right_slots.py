# Right: the reference design with __slots__: its Condition is a slot, not in __dict__.
# Expected: 8
class BoundedBuffer:
    __slots__ = ("capacity", "items", "changed")

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
