# Right: task_done() in finally; waits for queue.join() or a consumer that died, whichever comes first, then cancels the consumers.
# Expected: 6
async def pipeline(items, worker, n_workers):
    queue = asyncio.Queue()
    for index, item in enumerate(items):
        queue.put_nowait((index, item))
    results = [None] * len(items)

    async def consumer():
        while True:
            index, item = await queue.get()
            try:
                results[index] = await worker(item)
            finally:
                queue.task_done()

    consumers = [asyncio.create_task(consumer()) for _ in range(n_workers)]
    joined = asyncio.create_task(queue.join())
    try:
        await asyncio.wait([joined, *consumers], return_when=asyncio.FIRST_COMPLETED)
        for task in consumers:
            if task.done():
                task.result()  # a consumer ends only when its worker raised: raise it here
        return results
    finally:
        for task in [joined, *consumers]:
            task.cancel()
        await asyncio.gather(joined, *consumers, return_exceptions=True)
