# Right: two conditions sharing one lock, not_full and not_empty, so notify() always wakes a task of the right kind.
# Expected: 8
class BoundedBuffer:
    def __init__(self, capacity):
        self.capacity = capacity
        self.items = collections.deque()
        lock = asyncio.Lock()
        self.not_full = asyncio.Condition(lock)
        self.not_empty = asyncio.Condition(lock)

    async def put(self, item):
        async with self.not_full:
            while len(self.items) >= self.capacity:
                await self.not_full.wait()
            self.items.append(item)
            self.not_empty.notify()

    async def get(self):
        async with self.not_empty:
            while not self.items:
                await self.not_empty.wait()
            item = self.items.popleft()
            self.not_full.notify()
            return item
