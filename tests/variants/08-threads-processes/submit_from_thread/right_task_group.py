# Right: one run_coroutine_threadsafe of a coroutine that runs them in a TaskGroup and reads each task's result.
# Expected: 5
def submit_from_thread(loop, coro_fn, args_list):
    async def all_of_them():
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(coro_fn(*args)) for args in args_list]
        return [task.result() for task in tasks]

    return asyncio.run_coroutine_threadsafe(all_of_them(), loop).result()
