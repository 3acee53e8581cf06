# Right: workers in a TaskGroup fed by a queue; the rate limit is a token bucket that holds one token.
# Expected: 38
from typing import NamedTuple


class Progress(NamedTuple):
    queued: int
    running: int
    retrying: int
    done: int
    failed: int


class JobRunner:
    def __init__(self, workers, *, timeout=None, retries=0, backoff=0.0, rate=None):
        self.workers = workers
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.rate = rate
        self.stats = dict.fromkeys(Progress._fields, 0)
        self.futures = []
        self.tasks = set()  # the group's tasks that have not ended
        self.closed = False

    async def __aenter__(self):
        loop = asyncio.get_running_loop()
        self.queue = asyncio.Queue()
        self.bucket = asyncio.Lock()
        self.tokens, self.refilled = 1.0, loop.time()  # a full bucket: the first start is free
        self.group = asyncio.TaskGroup()
        await self.group.__aenter__()
        for _ in range(self.workers):
            self._spawn(self._work())
        return self

    async def __aexit__(self, exc_type, exc, tb):
        if exc_type is None:
            try:
                for future in self.futures:
                    await asyncio.wait([future])
            except asyncio.CancelledError as cancelled:
                self._stop()
                await self.group.__aexit__(type(cancelled), cancelled, cancelled.__traceback__)
                raise
        self._stop()
        return await self.group.__aexit__(exc_type, exc, tb)

    def submit(self, job, *args):
        if self.closed:
            raise RuntimeError("the runner has been shut down")
        future = asyncio.get_running_loop().create_future()
        self.futures.append(future)
        self._move(None, "queued")
        self.queue.put_nowait((future, job, args, 1))
        return future

    def progress(self):
        return Progress(**self.stats)

    async def aclose(self):
        tasks = self._stop()
        if tasks:
            await asyncio.wait(tasks)

    def _stop(self):
        self.closed = True
        for future in self.futures:
            future.cancel()
        tasks = list(self.tasks)
        for task in tasks:
            task.cancel()
        return tasks

    def _spawn(self, coro):
        task = self.group.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def _move(self, old, new):
        if old:
            self.stats[old] -= 1
        self.stats[new] += 1

    async def _take_token(self):
        async with self.bucket:  # one at a time, in queue order
            loop = asyncio.get_running_loop()
            self.tokens = min(1.0, self.tokens + (loop.time() - self.refilled) * self.rate)
            self.refilled = loop.time()
            if self.tokens < 1.0:
                await asyncio.sleep((1.0 - self.tokens) / self.rate)
                self.refilled = loop.time()
            self.tokens = 0.0

    async def _work(self):
        while True:
            future, job, args, attempt = await self.queue.get()
            if self.rate is not None:
                await self._take_token()
            self._move("queued", "running")
            try:
                async with asyncio.timeout(self.timeout):
                    result = await job(*args)
            except Exception as error:
                if attempt > self.retries:
                    self._move("running", "failed")
                    future.set_exception(error)
                else:
                    self._move("running", "retrying")
                    self._spawn(self._back_off((future, job, args, attempt + 1)))
            else:
                self._move("running", "done")
                future.set_result(result)

    async def _back_off(self, item):
        await asyncio.sleep(self.backoff * 2 ** (item[3] - 2))
        self._move("retrying", "queued")
        self.queue.put_nowait(item)
