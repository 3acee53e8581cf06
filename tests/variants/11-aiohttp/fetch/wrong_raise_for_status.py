# Wrong: raise_for_status() lets a 404 or 500 raise ClientResponseError instead of returning None.
# Expected: 3
async def fetch(session, url, errors):
    async with session.get(url) as response:
        response.raise_for_status()
        return await response.text("gbk", "ignore")
