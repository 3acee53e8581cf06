# Right: the shortest form: asyncio.as_completed() wraps the coroutines in tasks itself.
# Expected: 5
async def as_they_arrive(coros):
    for next_done in asyncio.as_completed(coros):
        yield await next_done
