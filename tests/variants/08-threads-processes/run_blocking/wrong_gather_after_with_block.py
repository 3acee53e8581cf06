# Wrong: submits the calls inside a with block but awaits them after it: leaving the block already waited for every call, on the loop's thread.
# Expected: 1
async def run_blocking(func, args_list, max_workers):
    loop = asyncio.get_running_loop()
    with concurrent.futures.ThreadPoolExecutor(max_workers) as pool:
        calls = [loop.run_in_executor(pool, func, *args) for args in args_list]
    return list(await asyncio.gather(*calls))
