# Right: asyncio.wait(FIRST_EXCEPTION) returns at the first failure; results read in list order.
# Expected: 5
async def fetch_all(urls, fetch):
    tasks = [asyncio.create_task(fetch(url)) for url in urls]
    if not tasks:
        return []
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    for task in done:
        if task.exception() is not None:
            for other in pending:
                other.cancel()
            raise task.exception()
    return [task.result() for task in tasks]
