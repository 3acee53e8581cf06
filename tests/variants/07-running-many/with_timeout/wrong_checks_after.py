# Wrong: awaits the work to the end and only then compares the time taken with the deadline.
# Expected: 4.5
async def with_timeout(coro, seconds, default):
    loop = asyncio.get_running_loop()
    start = loop.time()
    result = await coro
    if loop.time() - start > seconds:
        return default
    return result
