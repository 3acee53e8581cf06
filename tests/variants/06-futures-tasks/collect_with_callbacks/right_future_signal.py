# Right: the last callback resolves a future that the coroutine awaits; no gather or wait.
# Expected: 7
async def collect_with_callbacks(urls, fetch):
    urls = list(urls)
    results = []
    if not urls:
        return results
    all_done = asyncio.get_running_loop().create_future()

    def record(url, task):
        results.append((url, task.result()))
        if len(results) == len(urls):
            all_done.set_result(None)

    running = set()  # keep references: the loop holds tasks only weakly
    for url in urls:
        task = asyncio.create_task(fetch(url))
        task.add_done_callback(functools.partial(record, url))
        running.add(task)
    await all_done
    return results
