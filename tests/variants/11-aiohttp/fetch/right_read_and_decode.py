# Right: reads the bytes and decodes them itself, GBK with errors="ignore".
# Expected: 6
async def fetch(session, url, errors):
    async with session.get(url) as response:
        body = await response.read()
        if response.status == 200:
            return body.decode("gbk", errors="ignore")
    errors.add(url)
    return None
