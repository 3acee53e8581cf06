# Right: one dispatcher task starts each attempt as a task of its own when a worker is free and the rate allows.
# Expected: 38
import math

Progress = collections.namedtuple("Progress", "queued running retrying done failed")


class JobRunner:
    def __init__(self, workers, *, timeout=None, retries=0, backoff=0.0, rate=None):
        self.workers = workers
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.interval = 0.0 if rate is None else 1 / rate
        self.waiting = collections.deque()  # (future, job, args, attempt) not started yet
        self.running = self.retrying = self.done = self.failed = 0
        self.futures = []
        self.tasks = set()
        self.closed = False

    async def __aenter__(self):
        self.changed = asyncio.Event()
        self.next_start = -math.inf
        self._spawn(self._dispatch())
        return self

    async def __aexit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                await asyncio.gather(*self.futures, return_exceptions=True)
        finally:
            await self.aclose()

    def submit(self, job, *args):
        if self.closed:
            raise RuntimeError("submit() after the runner was closed")
        future = asyncio.get_running_loop().create_future()
        self.futures.append(future)
        self.waiting.append((future, job, args, 0))
        self.changed.set()
        return future

    def progress(self):
        return Progress(len(self.waiting), self.running, self.retrying, self.done, self.failed)

    async def aclose(self):
        self.closed = True
        self.waiting.clear()
        for item in [*self.futures, *self.tasks]:
            item.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    def _spawn(self, coro):
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _dispatch(self):
        loop = asyncio.get_running_loop()
        while True:
            while not self.waiting or self.running == self.workers:
                self.changed.clear()
                await self.changed.wait()
            if loop.time() < self.next_start:
                await asyncio.sleep(self.next_start - loop.time())
            self.running += 1
            self.next_start = loop.time() + self.interval
            self._spawn(self._attempt(*self.waiting.popleft()))

    async def _attempt(self, future, job, args, attempt):
        try:
            async with asyncio.timeout(self.timeout):
                result = await job(*args)
        except Exception as error:
            self.running -= 1
            self.changed.set()
            if attempt == self.retries:
                self.failed += 1
                future.set_exception(error)
                return
            self.retrying += 1
            await asyncio.sleep(self.backoff * 2 ** attempt)
            self.retrying -= 1
            self.waiting.append((future, job, args, attempt + 1))
            self.changed.set()
        else:
            self.running -= 1
            self.done += 1
            self.changed.set()
            future.set_result(result)
