# Wrong: as_completed runs them concurrently but gives results in completion order.
# Expected: 3
async def fetch_all(urls, fetch):
    return [await next_done for next_done in asyncio.as_completed([fetch(url) for url in urls])]
