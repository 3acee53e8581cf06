# Wrong: runs them in batches of limit, so each batch waits for its slowest member while others could start.
# Expected: 2
async def limited_gather(limit, coro_fns):
    results = []
    for start in range(0, len(coro_fns), limit):
        batch = coro_fns[start:start + limit]
        results += await asyncio.gather(*(coro_fn() for coro_fn in batch))
    return results
