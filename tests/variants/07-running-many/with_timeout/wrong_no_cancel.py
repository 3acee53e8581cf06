# Wrong: asyncio.wait(timeout=...) returns at the deadline but does not cancel the work.
# Expected: 2.25
async def with_timeout(coro, seconds, default):
    task = asyncio.create_task(coro)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if task in done:
        return task.result()
    return default
