# Wrong: starts every task at once and only awaits them under the semaphore: the limit holds nothing back.
# Expected: 3
async def limited_gather(limit, coro_fns):
    semaphore = asyncio.Semaphore(limit)
    tasks = [asyncio.create_task(coro_fn()) for coro_fn in coro_fns]

    async def limited(task):
        async with semaphore:
            return await task

    return await asyncio.gather(*(limited(task) for task in tasks))
