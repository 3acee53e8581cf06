# Right: one run_coroutine_threadsafe of a coroutine that gathers them all on the loop.
# Expected: 5
def submit_from_thread(loop, coro_fn, args_list):
    async def all_of_them():
        return await asyncio.gather(*(coro_fn(*args) for args in args_list))

    return asyncio.run_coroutine_threadsafe(all_of_them(), loop).result()
