# Wrong: one lock for every URL: fetches once, but different URLs are fetched one after another.
# Expected: 3
class CachedFetcher:
    def __init__(self, fetch):
        self.fetch = fetch
        self.cache = {}
        self.lock = asyncio.Lock()

    async def get(self, url):
        async with self.lock:
            if url not in self.cache:
                self.cache[url] = await self.fetch(url)
            return self.cache[url]
