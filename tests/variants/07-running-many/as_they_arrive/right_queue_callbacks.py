# Right: each task's done-callback puts the task in a queue; the generator takes them out in turn.
# Expected: 7
async def as_they_arrive(coros):
    finished = asyncio.Queue()
    tasks = [asyncio.create_task(coro) for coro in coros]
    for task in tasks:
        task.add_done_callback(finished.put_nowait)
    try:
        for _ in tasks:
            task = await finished.get()
            yield task.result()
    finally:
        for task in tasks:
            task.cancel()
