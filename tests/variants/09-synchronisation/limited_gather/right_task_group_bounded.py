# Right: a TaskGroup of tasks that each hold a BoundedSemaphore while their coroutine runs.
# Expected: 5
async def limited_gather(limit, coro_fns):
    slots = asyncio.BoundedSemaphore(limit)

    async def limited(coro_fn):
        async with slots:
            return await coro_fn()

    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(limited(coro_fn)) for coro_fn in coro_fns]
    return [task.result() for task in tasks]
