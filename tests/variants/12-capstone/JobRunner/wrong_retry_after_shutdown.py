# Wrong: a retry is a loop.call_later callback whose handle nobody keeps: after a shutdown the job starts again.
# Expected: 37
import asyncio, collections
Progress = collections.namedtuple("Progress", "queued running retrying done failed")


class JobRunner:
    """A task per attempt behind a Semaphore; a retry is a call_later callback."""

    def __init__(self, workers, *, timeout=None, retries=0, backoff=0.0, rate=None):
        self.workers, self.timeout, self.retries, self.backoff = workers, timeout, retries, backoff
        self.gap = None if rate is None else 1 / rate
        self.state, self.tasks, self.ended = {}, set(), False

    async def __aenter__(self):
        self.loop = asyncio.get_running_loop()
        self.slots, self.rate_lock, self.last_start = asyncio.Semaphore(self.workers), asyncio.Lock(), None
        return self

    async def __aexit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                pending = [f for f in self.state if not f.done()]
                if pending:
                    await asyncio.wait(pending)
        finally:
            await self.aclose()

    def submit(self, job, *args):
        if self.ended:
            raise RuntimeError("submit() after the block ended")
        future = self.loop.create_future()
        self._start(future, job, args, 0)
        return future

    def progress(self):
        c = collections.Counter(self.state.values())
        return Progress(c["queued"], c["running"], c["retrying"], c["done"], c["failed"])

    async def aclose(self):
        self.ended = True
        for future in self.state:
            future.cancel()
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    def _start(self, future, job, args, attempt):
        self.state[future] = "queued"
        task = self.loop.create_task(self._attempt(future, job, args, attempt))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _rate(self):
        if self.gap is None:
            return
        async with self.rate_lock:
            if self.last_start is not None:
                wait = self.last_start + self.gap - self.loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
            self.last_start = self.loop.time()

    async def _attempt(self, future, job, args, attempt):
        async with self.slots:
            await self._rate()
            self.state[future] = "running"
            try:
                async with asyncio.timeout(self.timeout):
                    result = await job(*args)
            except Exception as error:
                if attempt < self.retries:
                    self.state[future] = "retrying"
                    self.loop.call_later(self.backoff * 2 ** attempt, self._start, future, job, args, attempt + 1)
                else:
                    self.state[future] = "failed"
                    if not future.done():
                        future.set_exception(error)
            else:
                self.state[future] = "done"
                if not future.done():
                    future.set_result(result)
