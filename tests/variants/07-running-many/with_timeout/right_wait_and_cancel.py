# Right: asyncio.wait with a timeout, then cancel and wait for the task; passes on outside cancellation.
# Expected: 6
async def with_timeout(coro, seconds, default):
    task = asyncio.ensure_future(coro)
    try:
        done, _ = await asyncio.wait({task}, timeout=seconds)
    except asyncio.CancelledError:
        task.cancel()
        raise
    if task in done:
        return task.result()
    task.cancel()
    await asyncio.wait({task})
    return default
