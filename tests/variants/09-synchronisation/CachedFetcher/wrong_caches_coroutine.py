# Wrong: caches the coroutine object, which can be awaited only once ("cannot reuse already awaited coroutine").
# Expected: 0
class CachedFetcher:
    def __init__(self, fetch):
        self.fetch = fetch
        self.pending = {}

    async def get(self, url):
        if url not in self.pending:
            self.pending[url] = self.fetch(url)
        return await self.pending[url]
