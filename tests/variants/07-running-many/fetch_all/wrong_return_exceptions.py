# Wrong: return_exceptions=True hands the exception back in the list instead of raising it.
# Expected: 3
async def fetch_all(urls, fetch):
    return await asyncio.gather(*(fetch(url) for url in urls), return_exceptions=True)
