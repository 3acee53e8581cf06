# Wrong: text("gbk") without errors="ignore": a chapter's stray byte raises UnicodeDecodeError.
# Expected: 3
async def fetch(session, url, errors):
    async with session.get(url) as response:
        if response.status != 200:
            errors.add(url)
            return None
        return await response.text("gbk")
