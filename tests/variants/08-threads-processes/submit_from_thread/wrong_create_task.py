# Wrong: creates the tasks with loop.create_task from the calling thread (not thread-safe; debug mode raises).
# Expected: 0
def submit_from_thread(loop, coro_fn, args_list):
    tasks = [loop.create_task(coro_fn(*args)) for args in args_list]

    async def all_of_them():
        return await asyncio.gather(*tasks)

    return asyncio.run_coroutine_threadsafe(all_of_them(), loop).result()
