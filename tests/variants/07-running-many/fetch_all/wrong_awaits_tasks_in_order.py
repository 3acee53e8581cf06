# Wrong: concurrent, but awaiting the tasks in list order raises a failure only when its turn comes.
# Expected: 3
async def fetch_all(urls, fetch):
    tasks = [asyncio.create_task(fetch(url)) for url in urls]
    return [await task for task in tasks]
