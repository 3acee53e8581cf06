# Wrong: response.text() with no encoding: no charset in Content-Type, so aiohttp 3.9+ decodes as UTF-8 and raises UnicodeDecodeError.
# Expected: 3
async def fetch(session, url, errors):
    async with session.get(url) as response:
        if response.status != 200:
            errors.add(url)
            return None
        return await response.text()
