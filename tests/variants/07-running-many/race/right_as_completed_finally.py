# Right: first result from as_completed; a finally block cancels the rest and waits for them.
# Expected: 8
async def race(*coro_fns):
    tasks = [asyncio.create_task(fn()) for fn in coro_fns]
    try:
        for first in asyncio.as_completed(tasks):
            return await first
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.wait(tasks)
