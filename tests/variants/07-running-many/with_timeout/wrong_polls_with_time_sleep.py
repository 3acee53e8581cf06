# Wrong: polls with time.sleep(), which blocks the whole event loop, so the work never gets to run.
# Expected: 0
import time


async def with_timeout(coro, seconds, default):
    task = asyncio.ensure_future(coro)
    waited = 0.0
    while not task.done():
        if waited >= seconds:
            task.cancel()
            return default
        time.sleep(0.05)
        waited += 0.05
    return task.result()
