# Wrong: reads the winner's result before cancelling, so a winner that raised leaves the others running.
# Expected: 6
async def race(*coro_fns):
    tasks = [asyncio.create_task(fn()) for fn in coro_fns]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    result = done.pop().result()  # raises here if the first to finish failed
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending)
    return result
