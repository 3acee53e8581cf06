# Right: one None stop sign per consumer after the items; consumers in a TaskGroup, which cancels the rest on a failure.
# Expected: 6
async def pipeline(items, worker, n_workers):
    queue = asyncio.Queue()
    for index, item in enumerate(items):
        await queue.put((index, item))
    for _ in range(n_workers):
        await queue.put(None)
    results = [None] * len(items)

    async def consumer():
        while True:
            entry = await queue.get()
            if entry is None:
                return
            index, item = entry
            results[index] = await worker(item)

    async with asyncio.TaskGroup() as group:
        for _ in range(n_workers):
            group.create_task(consumer())
    return results
