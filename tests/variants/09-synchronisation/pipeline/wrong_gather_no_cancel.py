# Wrong: gathers the consumers; when a worker raises, gather raises at once but leaves the other consumers running.
# Expected: 4
async def pipeline(items, worker, n_workers):
    queue = asyncio.Queue()
    for index, item in enumerate(items):
        queue.put_nowait((index, item))
    for _ in range(n_workers):
        queue.put_nowait(None)  # one stop sign per consumer
    results = [None] * len(items)

    async def consumer():
        while (entry := await queue.get()) is not None:
            index, item = entry
            results[index] = await worker(item)

    await asyncio.gather(*(consumer() for _ in range(n_workers)))
    return results
