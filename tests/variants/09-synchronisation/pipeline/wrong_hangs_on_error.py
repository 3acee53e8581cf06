# Wrong: waits with queue.join(), then cancels the consumers; but a consumer whose worker raised dies before task_done(), so join() waits forever.
# Expected: 3
async def pipeline(items, worker, n_workers):
    queue = asyncio.Queue()
    for index, item in enumerate(items):
        queue.put_nowait((index, item))
    results = [None] * len(items)

    async def consumer():
        while True:
            index, item = await queue.get()
            results[index] = await worker(item)
            queue.task_done()

    consumers = [asyncio.create_task(consumer()) for _ in range(n_workers)]
    await queue.join()
    for task in consumers:
        task.cancel()
    await asyncio.gather(*consumers, return_exceptions=True)
    return results
