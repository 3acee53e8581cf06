# Wrong: no finally block: after aclose() (or a break inside aclosing) the work keeps running.
# Expected: 5
async def as_they_arrive(coros):
    for next_done in asyncio.as_completed(coros):
        yield await next_done
