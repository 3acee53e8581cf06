# Right: makes a pool of max_workers threads the loop's default executor, then run_in_executor(None, ...).
# Expected: 9
async def run_blocking(func, args_list, max_workers):
    loop = asyncio.get_running_loop()
    loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(max_workers))
    return await asyncio.gather(*(loop.run_in_executor(None, func, *args) for args in args_list))
