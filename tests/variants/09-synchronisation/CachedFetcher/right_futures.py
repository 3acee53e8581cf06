# Right: one future per URL: the first get fetches and sets it, the others await it.
# Expected: 6
class CachedFetcher:
    def __init__(self, fetch):
        self.fetch = fetch
        self.futures = {}

    async def get(self, url):
        future = self.futures.get(url)
        if future is None:
            future = self.futures[url] = asyncio.get_running_loop().create_future()
            try:
                future.set_result(await self.fetch(url))
            except Exception as exc:
                del self.futures[url]  # a failure is not cached: the next get tries again
                future.set_exception(exc)
                raise
        return await asyncio.shield(future)
