# Wrong: only a pool: a Semaphore around each job; no timeout, retries, rate limit, progress or closed submit.
# Expected: 7
import asyncio


class JobRunner:
    """Only a pool: a Semaphore around each job."""

    def __init__(self, workers, **settings):
        self.workers = workers
        self.tasks = []

    async def __aenter__(self):
        self.slots = asyncio.Semaphore(self.workers)
        return self

    async def __aexit__(self, *exc_info):
        await asyncio.gather(*self.tasks, return_exceptions=True)

    def submit(self, job, *args):
        async def run():
            async with self.slots:
                return await job(*args)
        task = asyncio.create_task(run())
        self.tasks.append(task)
        return task
