# Wrong: ignores n_workers and starts one task per item, so every item is processed at once.
# Expected: 4
async def pipeline(items, worker, n_workers):
    queue = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)
    tasks = []
    while not queue.empty():
        tasks.append(asyncio.create_task(worker(queue.get_nowait())))
    return await asyncio.gather(*tasks)
