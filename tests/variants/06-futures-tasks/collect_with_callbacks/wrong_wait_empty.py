# Wrong: asyncio.wait() raises ValueError on an empty set, so no URLs crashes instead of returning [].
# Expected: 5
async def collect_with_callbacks(urls, fetch):
    results = []

    def record(url, task):
        results.append((url, task.result()))

    tasks = set()
    for url in urls:
        task = asyncio.create_task(fetch(url))
        task.add_done_callback(functools.partial(record, url))
        tasks.add(task)
    await asyncio.wait(tasks)
    return results
