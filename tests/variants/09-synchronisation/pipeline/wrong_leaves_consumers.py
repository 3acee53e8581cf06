# Wrong: never cancels the consumers, which wait on queue.get() forever; a worker's exception is lost with its task.
# Expected: 2
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

    for _ in range(n_workers):
        asyncio.create_task(consumer())
    await queue.join()
    return results
