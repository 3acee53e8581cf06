# Wrong: one condition for putters and getters, but notify() wakes a single waiter, which may be of the wrong kind: the right one is never woken.
# Expected: 5
class BoundedBuffer:
    def __init__(self, capacity):
        self.capacity = capacity
        self.items = collections.deque()
        self.changed = asyncio.Condition()

    async def put(self, item):
        async with self.changed:
            while len(self.items) >= self.capacity:
                await self.changed.wait()
            self.items.append(item)
            self.changed.notify()

    async def get(self):
        async with self.changed:
            while not self.items:
                await self.changed.wait()
            item = self.items.popleft()
            self.changed.notify()
            return item
