# Wrong: no done-callbacks; gather gives the results in input order, not completion order.
# Expected: 3
async def collect_with_callbacks(urls, fetch):
    urls = list(urls)
    results = await asyncio.gather(*(fetch(url) for url in urls))
    return list(zip(urls, results))
