# Right: a TaskGroup (3.11); on a failure it cancels the rest and raises an ExceptionGroup.
# Expected: 5
async def fetch_all(urls, fetch):
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(fetch(url)) for url in urls]
    return [task.result() for task in tasks]
