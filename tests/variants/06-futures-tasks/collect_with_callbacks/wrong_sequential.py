# Wrong: awaits each task before starting the next, so the fetches run one after another (input order, sum of latencies).
# Expected: 2
async def collect_with_callbacks(urls, fetch):
    results = []

    def record(url, task):
        results.append((url, task.result()))

    for url in urls:
        task = asyncio.create_task(fetch(url))
        task.add_done_callback(functools.partial(record, url))
        await task
    return results
