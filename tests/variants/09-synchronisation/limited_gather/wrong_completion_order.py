# Wrong: collects the results with as_completed, so they come back in the order they finish.
# Expected: 3
async def limited_gather(limit, coro_fns):
    semaphore = asyncio.Semaphore(limit)

    async def limited(coro_fn):
        async with semaphore:
            return await coro_fn()

    tasks = [asyncio.create_task(limited(coro_fn)) for coro_fn in coro_fns]
    return [await next_done for next_done in asyncio.as_completed(tasks)]
