# Wrong: cancels the losers but returns before they have finished: cancel() only asks.
# Expected: 5
async def race(*coro_fns):
    tasks = [asyncio.create_task(fn()) for fn in coro_fns]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    return done.pop().result()
