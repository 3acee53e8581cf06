# Right: an asyncio.Semaphore of max_workers around asyncio.to_thread, gathered in input order.
# Expected: 9
async def run_blocking(func, args_list, max_workers):
    limit = asyncio.Semaphore(max_workers)

    async def call(args):
        async with limit:
            return await asyncio.to_thread(func, *args)

    return await asyncio.gather(*(call(args) for args in args_list))
