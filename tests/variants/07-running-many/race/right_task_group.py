# Right: a TaskGroup whose first finisher cancels its siblings; the group waits for them all.
# Expected: 5
async def race(*coro_fns):
    winners = []
    tasks = []

    async def run(fn):
        result = await fn()
        if not winners:
            winners.append(result)
            for task in tasks:
                if task is not asyncio.current_task():
                    task.cancel()

    async with asyncio.TaskGroup() as group:
        tasks.extend(group.create_task(run(fn)) for fn in coro_fns)
    return winners[0]
