# Wrong: a get that finds the URL being fetched polls every 0.1 s until it is cached, so it comes back up to 0.1 s after the fetch ended.
# Expected: 4
class CachedFetcher:
    def __init__(self, fetch):
        self.fetch = fetch
        self.cache = {}
        self.busy = set()

    async def get(self, url):
        while url in self.busy:
            await asyncio.sleep(0.1)
        if url not in self.cache:
            self.busy.add(url)
            try:
                self.cache[url] = await self.fetch(url)
            finally:
                self.busy.discard(url)
        return self.cache[url]
