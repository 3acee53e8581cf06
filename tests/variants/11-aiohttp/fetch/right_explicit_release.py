# Right: no async with: awaits session.get and releases the response itself in a finally.
# Expected: 6
async def fetch(session, url, errors):
    response = await session.get(url)
    try:
        if response.status == 200:
            return (await response.read()).decode("gbk", errors="ignore")
        errors.add(url)
        return None
    finally:
        response.release()
