# Wrong: appends each result when it is ready, so the results come in the order they finish.
# Expected: 4
async def pipeline(items, worker, n_workers):
    queue = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)
    results = []

    async def consumer():
        while not queue.empty():
            results.append(await worker(queue.get_nowait()))

    async with asyncio.TaskGroup() as group:
        for _ in range(n_workers):
            group.create_task(consumer())
    return results
