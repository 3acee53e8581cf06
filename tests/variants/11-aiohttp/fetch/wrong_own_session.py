# Wrong: ignores the session it is given and opens a new one for every page.
# Expected: 4
import aiohttp


async def fetch(session, url, errors):
    async with aiohttp.ClientSession() as own, own.get(url) as response:
        if response.status != 200:
            errors.add(url)
            return None
        return await response.text("gbk", "ignore")
