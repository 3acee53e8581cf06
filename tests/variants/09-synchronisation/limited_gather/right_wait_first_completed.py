# Right: keeps limit tasks running with asyncio.wait(FIRST_COMPLETED), starting the next one whenever one ends.
# Expected: 5
async def limited_gather(limit, coro_fns):
    waiting = list(coro_fns)[::-1]
    tasks = []
    running = set()
    while waiting or running:
        while waiting and len(running) < limit:
            task = asyncio.create_task(waiting.pop()())
            tasks.append(task)
            running.add(task)
        _, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
    return [task.result() for task in tasks]
