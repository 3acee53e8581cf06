# Wrong: catching CancelledError as if it were a timeout: cancelling with_timeout no longer works.
# Expected: 4.75
async def with_timeout(coro, seconds, default):
    try:
        return await asyncio.wait_for(coro, seconds)
    except (asyncio.TimeoutError, asyncio.CancelledError):
        return default
