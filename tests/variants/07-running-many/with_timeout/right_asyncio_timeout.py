# Right: the asyncio.timeout() context manager (3.11); the work runs in the caller's own task.
# Expected: 6
async def with_timeout(coro, seconds, default):
    try:
        async with asyncio.timeout(seconds):
            return await coro
    except TimeoutError:
        return default
