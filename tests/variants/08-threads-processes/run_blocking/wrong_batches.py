# Wrong: runs the calls in batches of max_workers: a finished call is not replaced until the whole batch is done.
# Expected: 6
async def run_blocking(func, args_list, max_workers):
    results = []
    for start in range(0, len(args_list), max_workers):
        batch = args_list[start:start + max_workers]
        results += await asyncio.gather(*(asyncio.to_thread(func, *args) for args in batch))
    return results
