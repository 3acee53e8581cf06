# Right: one task per URL, stored at once; every get awaits it through shield, so a cancelled get cannot cancel the fetch.
# Expected: 6
class CachedFetcher:
    def __init__(self, fetch):
        self.fetch = fetch
        self.tasks = {}

    async def get(self, url):
        if url not in self.tasks:
            self.tasks[url] = asyncio.create_task(self.fetch(url))
        return await asyncio.shield(self.tasks[url])
