# Right: a list, while loops around wait(), and notify_all() after every change.
# Expected: 8
class BoundedBuffer:
    def __init__(self, capacity):
        self.capacity = capacity
        self.items = []
        self.condition = asyncio.Condition()

    async def put(self, item):
        async with self.condition:
            while len(self.items) == self.capacity:
                await self.condition.wait()
            self.items.append(item)
            self.condition.notify_all()

    async def get(self):
        async with self.condition:
            while not self.items:
                await self.condition.wait()
            self.condition.notify_all()
            return self.items.pop(0)
