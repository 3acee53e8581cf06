# Wrong: each coroutine appends its result to a shared list when it finishes: the order they finish, not input order.
# Expected: 3
def submit_from_thread(loop, coro_fn, args_list):
    results = []

    async def collect(args):
        results.append(await coro_fn(*args))

    futures = [asyncio.run_coroutine_threadsafe(collect(args), loop) for args in args_list]
    concurrent.futures.wait(futures)
    return results
