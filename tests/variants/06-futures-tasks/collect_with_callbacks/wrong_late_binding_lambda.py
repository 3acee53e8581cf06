# Wrong: a lambda instead of functools.partial reads `url` when it runs, after the loop has moved on: every pair gets the last URL.
# Expected: 4
async def collect_with_callbacks(urls, fetch):
    results = []
    tasks = []
    for url in urls:
        task = asyncio.create_task(fetch(url))
        task.add_done_callback(lambda t: results.append((url, t.result())))
        tasks.append(task)
    await asyncio.gather(*tasks)
    return results
