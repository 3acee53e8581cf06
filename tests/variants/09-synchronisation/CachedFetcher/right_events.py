# Right: one Event per URL: the first get fetches and sets it, the others wait for it.
# Expected: 6
class CachedFetcher:
    def __init__(self, fetch):
        self.fetch = fetch
        self.cache = {}
        self.ready = {}

    async def get(self, url):
        if url in self.ready:
            await self.ready[url].wait()
            return self.cache[url]
        self.ready[url] = asyncio.Event()
        self.cache[url] = await self.fetch(url)
        self.ready[url].set()
        return self.cache[url]
