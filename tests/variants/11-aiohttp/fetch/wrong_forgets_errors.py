# Wrong: returns None on a non-200 status but forgets to add the URL to errors.
# Expected: 3
async def fetch(session, url, errors):
    async with session.get(url) as response:
        if response.status == 200:
            return await response.text("gbk", "ignore")
        return None
