# Wrong: waits for each coroutine's result before submitting the next, so they never run at the same time.
# Expected: 1
def submit_from_thread(loop, coro_fn, args_list):
    return [asyncio.run_coroutine_threadsafe(coro_fn(*args), loop).result() for args in args_list]
