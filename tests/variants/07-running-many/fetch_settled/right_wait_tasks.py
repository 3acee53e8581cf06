# Right: asyncio.wait for all tasks, then each task's exception or result, in list order.
# Expected: 5
async def fetch_settled(urls, fetch):
    tasks = [asyncio.create_task(fetch(url)) for url in urls]
    if tasks:
        await asyncio.wait(tasks)
    return [task.exception() or task.result() for task in tasks]
