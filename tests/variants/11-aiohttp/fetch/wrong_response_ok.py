# Wrong: tests response.ok (any status below 400) instead of 200, so a 203 page comes back as text and a 204 as "".
# Expected: 4
async def fetch(session, url, errors):
    async with session.get(url) as response:
        if not response.ok:
            errors.add(url)
            return None
        return await response.text("gbk", "ignore")
