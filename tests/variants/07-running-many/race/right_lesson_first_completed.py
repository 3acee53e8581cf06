# Right: the lesson's pattern: wait(FIRST_COMPLETED), cancel the rest, wait for them only if there are any.
# Expected: 8
async def race(*coro_fns):
    tasks = [asyncio.create_task(fn()) for fn in coro_fns]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    if pending:  # asyncio.wait() refuses an empty set
        await asyncio.wait(pending)
    return done.pop().result()
