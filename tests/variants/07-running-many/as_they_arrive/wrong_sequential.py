# Wrong: awaits the coroutines one after the other: input order, and no concurrency.
# Expected: 1
async def as_they_arrive(coros):
    for coro in coros:
        yield await coro
