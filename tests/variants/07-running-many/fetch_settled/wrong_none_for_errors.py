# Wrong: puts None where the exception should be, so the caller cannot tell what failed.
# Expected: 2
async def fetch_settled(urls, fetch):
    async def safe(url):
        try:
            return await fetch(url)
        except Exception:
            return None

    return await asyncio.gather(*(safe(url) for url in urls))
