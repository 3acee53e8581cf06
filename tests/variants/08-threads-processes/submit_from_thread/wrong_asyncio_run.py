# Wrong: runs the coroutines with asyncio.run in the calling thread: concurrent, but on a new loop, not on loop (the self-check says so too).
# Expected: 3
def submit_from_thread(loop, coro_fn, args_list):
    async def all_of_them():
        return await asyncio.gather(*(coro_fn(*args) for args in args_list))

    return asyncio.run(all_of_them())
