# Wrong: 'except Exception' turns the coroutine's own errors into the default too.
# Expected: 4.75
async def with_timeout(coro, seconds, default):
    try:
        return await asyncio.wait_for(coro, seconds)
    except Exception:
        return default
