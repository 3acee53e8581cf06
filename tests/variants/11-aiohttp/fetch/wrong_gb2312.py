# Wrong: decodes as GB2312, GBK's older subset: the names that only GBK has (喆, 堃, 趙) come out garbled or lost.
# Expected: 3
async def fetch(session, url, errors):
    async with session.get(url) as response:
        if response.status != 200:
            errors.add(url)
            return None
        return await response.text("gb2312", "ignore")
