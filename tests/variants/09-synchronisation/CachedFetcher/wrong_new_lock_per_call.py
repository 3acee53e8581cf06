# Wrong: makes a new lock on every call, so no two gets ever share one: duplicate fetches.
# Expected: 3
class CachedFetcher:
    def __init__(self, fetch):
        self.fetch = fetch
        self.cache = {}

    async def get(self, url):
        async with asyncio.Lock():
            if url not in self.cache:
                self.cache[url] = await self.fetch(url)
        return self.cache[url]
