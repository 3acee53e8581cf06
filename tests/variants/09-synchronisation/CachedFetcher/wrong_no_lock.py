# Wrong: no lock: every get that finds the cache empty fetches, so gets at the same moment fetch the same URL many times.
# Expected: 3
class CachedFetcher:
    def __init__(self, fetch):
        self.fetch = fetch
        self.cache = {}

    async def get(self, url):
        if url not in self.cache:
            self.cache[url] = await self.fetch(url)
        return self.cache[url]
