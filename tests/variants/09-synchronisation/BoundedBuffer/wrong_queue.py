# Wrong: wraps an asyncio.Queue(capacity): it behaves right, but it is not built on Condition as asked.
# Expected: 6
class BoundedBuffer:
    def __init__(self, capacity):
        self.queue = asyncio.Queue(capacity)

    async def put(self, item):
        await self.queue.put(item)

    async def get(self):
        return await self.queue.get()
