# Wrong: retries inside fetch, 3 tries per call: a page that fails once comes back as text, and each failing page costs 3 requests.
# Expected: 2
async def fetch(session, url, errors):
    for _ in range(3):
        async with session.get(url) as response:
            if response.status == 200:
                return await response.text("gbk", "ignore")
    errors.add(url)
    return None
