# Wrong: a pool in a with block inside the coroutine: right until it is cancelled, when leaving the block waits for the running calls on the loop's thread.
# Expected: 7
async def run_blocking(func, args_list, max_workers):
    loop = asyncio.get_running_loop()
    with concurrent.futures.ThreadPoolExecutor(max_workers) as pool:
        calls = [loop.run_in_executor(pool, func, *args) for args in args_list]
        return await asyncio.gather(*calls)
