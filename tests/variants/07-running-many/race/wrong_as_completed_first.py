# Wrong: returns the first result from as_completed; the other tasks keep running.
# Expected: 3
async def race(*coro_fns):
    for first in asyncio.as_completed([fn() for fn in coro_fns]):
        return await first
