# Wrong: gather without return_exceptions raises the first failure instead of listing it.
# Expected: 0
async def fetch_settled(urls, fetch):
    return await asyncio.gather(*(fetch(url) for url in urls))
