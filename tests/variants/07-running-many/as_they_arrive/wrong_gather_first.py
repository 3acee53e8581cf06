# Wrong: gathers everything first, then yields in input order once the slowest is done.
# Expected: 2
async def as_they_arrive(coros):
    for result in await asyncio.gather(*coros):
        yield result
