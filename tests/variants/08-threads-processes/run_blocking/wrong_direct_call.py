# Wrong: calls func straight from the coroutine, on the event loop's own thread: every call blocks the loop.
# Expected: 1
async def run_blocking(func, args_list, max_workers):
    return [func(*args) for args in args_list]
