# Wrong: right order, but collects every result before yielding the first one.
# Expected: 3
async def as_they_arrive(coros):
    results = [await next_done for next_done in asyncio.as_completed(coros)]
    for result in results:
        yield result
