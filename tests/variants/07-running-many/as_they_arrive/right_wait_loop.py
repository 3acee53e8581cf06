# Right: a loop of asyncio.wait(FIRST_COMPLETED) over tasks, yielding each batch that is done.
# Expected: 7
async def as_they_arrive(coros):
    pending = {asyncio.create_task(coro) for coro in coros}
    try:
        while pending:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                yield task.result()
    finally:
        for task in pending:
            task.cancel()
