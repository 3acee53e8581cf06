# Wrong: names each task after fn.__name__, which a functools.partial does not have (AttributeError).
# Expected: 6
async def race(*coro_fns):
    tasks = [asyncio.create_task(fn(), name=fn.__name__) for fn in coro_fns]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        return done.pop().result()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
