# Right: gather over small wrappers that return the exception instead of raising it.
# Expected: 5
async def fetch_settled(urls, fetch):
    async def settle(url):
        try:
            return await fetch(url)
        except Exception as exc:
            return exc

    return list(await asyncio.gather(*map(settle, urls)))
