# Right: gathers the consumers, and cancels and awaits all of them in finally, so none outlives a failure.
# Expected: 6
async def pipeline(items, worker, n_workers):
    queue = asyncio.Queue()
    for index, item in enumerate(items):
        queue.put_nowait((index, item))
    results = [None] * len(items)

    async def consumer():
        while True:
            try:
                index, item = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            results[index] = await worker(item)

    consumers = [asyncio.create_task(consumer()) for _ in range(n_workers)]
    try:
        await asyncio.gather(*consumers)
    finally:
        for task in consumers:
            task.cancel()
        await asyncio.gather(*consumers, return_exceptions=True)
    return results
