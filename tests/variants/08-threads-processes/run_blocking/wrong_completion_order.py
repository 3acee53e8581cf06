# Wrong: limits the calls with a semaphore, but appends each result to a shared list when its call finishes.
# Expected: 7
async def run_blocking(func, args_list, max_workers):
    limit = asyncio.Semaphore(max_workers)
    results = []

    async def call(args):
        async with limit:
            results.append(await asyncio.to_thread(func, *args))

    await asyncio.gather(*(call(args) for args in args_list))
    return results
