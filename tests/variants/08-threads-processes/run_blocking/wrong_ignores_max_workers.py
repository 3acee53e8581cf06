# Wrong: hands every call to asyncio.to_thread at once, so the default pool runs more than max_workers together.
# Expected: 7
async def run_blocking(func, args_list, max_workers):
    return await asyncio.gather(*(asyncio.to_thread(func, *args) for args in args_list))
