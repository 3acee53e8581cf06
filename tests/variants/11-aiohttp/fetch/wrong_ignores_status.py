# Wrong: never looks at the status: returns the text of an error page and notes nothing.
# Expected: 3
async def fetch(session, url, errors):
    async with session.get(url) as response:
        return await response.text("gbk", "ignore")
