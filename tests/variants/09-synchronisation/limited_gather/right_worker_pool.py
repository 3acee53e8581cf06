# Right: limit workers take the next coroutine function from a shared iterator until none is left.
# Expected: 5
async def limited_gather(limit, coro_fns):
    results = [None] * len(coro_fns)
    todo = iter(enumerate(coro_fns))

    async def worker():
        for index, coro_fn in todo:
            results[index] = await coro_fn()

    await asyncio.gather(*(worker() for _ in range(min(limit, len(coro_fns)))))
    return results
