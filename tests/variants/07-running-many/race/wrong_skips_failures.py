# Wrong: returns the first *successful* result, skipping failures, instead of raising the first to finish.
# Expected: 5
async def race(*coro_fns):
    tasks = [asyncio.create_task(fn()) for fn in coro_fns]
    try:
        for next_done in asyncio.as_completed(tasks):
            try:
                return await next_done
            except Exception:
                continue  # that one failed: wait for the next
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
