# Wrong: uses a thread pool of the right size, but waits for pool.map synchronously, blocking the loop meanwhile.
# Expected: 1
async def run_blocking(func, args_list, max_workers):
    with concurrent.futures.ThreadPoolExecutor(max_workers) as pool:
        return list(pool.map(lambda args: func(*args), args_list))
