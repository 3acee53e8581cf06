# Wrong: adds the callbacks after the tasks are done; they are only scheduled then, so it returns before any has run.
# Expected: 3
async def collect_with_callbacks(urls, fetch):
    results = []

    def record(url, task):
        results.append((url, task.result()))

    tasks = {url: asyncio.create_task(fetch(url)) for url in urls}
    await asyncio.gather(*tasks.values())
    for url, task in tasks.items():
        task.add_done_callback(functools.partial(record, url))
    return results
