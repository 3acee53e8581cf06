# Right: ensure_future and asyncio.wait, guarded against the empty case; the callback gets the URL by keyword.
# Expected: 7
async def collect_with_callbacks(urls, fetch):
    completed = []

    def on_done(task, *, url):
        completed.append((url, task.result()))

    pending = [asyncio.ensure_future(fetch(url)) for url in urls]
    for url, task in zip(urls, pending):
        task.add_done_callback(functools.partial(on_done, url=url))
    if pending:
        await asyncio.wait(pending)
    return completed
