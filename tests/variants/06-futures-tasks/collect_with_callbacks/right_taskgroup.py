# Right: a TaskGroup starts the tasks and waits for them; the callbacks run before the group's exit resumes.
# Expected: 7
class _Collector:
    def __init__(self):
        self.pairs = []

    def done(self, url, task):
        self.pairs.append((url, task.result()))


async def collect_with_callbacks(urls, fetch):
    collector = _Collector()
    async with asyncio.TaskGroup() as group:
        for url in urls:
            task = group.create_task(fetch(url), name=str(url))
            task.add_done_callback(functools.partial(collector.done, url))
    return collector.pairs
