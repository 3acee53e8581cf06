# Wrong: keeps an asyncio.Queue one level down, in a list, beside a Condition it never uses: it behaves right, but it is built on the Queue.
# Expected: 6
class BoundedBuffer:
    def __init__(self, capacity):
        self.changed = asyncio.Condition()
        self.parts = [asyncio.Queue(capacity)]

    async def put(self, item):
        await self.parts[0].put(item)

    async def get(self):
        return await self.parts[0].get()
