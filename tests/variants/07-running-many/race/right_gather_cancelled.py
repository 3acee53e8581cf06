# Right: wait(FIRST_COMPLETED), cancel the rest, then gather them with return_exceptions=True (fine when empty).
# Expected: 8
async def race(*coro_fns):
    tasks = {asyncio.create_task(fn()) for fn in coro_fns}
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    return next(iter(done)).result()
