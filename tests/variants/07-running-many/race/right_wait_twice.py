# Right: wait(FIRST_COMPLETED), cancel the pending tasks, then wait() again until they are done.
# Expected: 5
async def race(*coro_fns):
    tasks = {asyncio.create_task(fn()) for fn in coro_fns}
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending)
    return next(iter(done)).result()
