# Right: a TaskGroup whose first finisher cancels its siblings; the group's ExceptionGroup is unwrapped.
# Expected: 8
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

    try:
        async with asyncio.TaskGroup() as group:
            tasks.extend(group.create_task(run(fn)) for fn in coro_fns)
    except ExceptionGroup as failures:
        raise failures.exceptions[0]  # the first to finish raised: the group cancelled the rest
    return winners[0]
