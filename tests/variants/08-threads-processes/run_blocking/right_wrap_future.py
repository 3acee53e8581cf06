# Right: submits to a pool of max_workers threads and awaits the concurrent futures through asyncio.wrap_future.
# Expected: 9
async def run_blocking(func, args_list, max_workers):
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max_workers)
    try:
        futures = [asyncio.wrap_future(pool.submit(func, *args)) for args in args_list]
        return list(await asyncio.gather(*futures))
    finally:
        pool.shutdown(wait=False)
