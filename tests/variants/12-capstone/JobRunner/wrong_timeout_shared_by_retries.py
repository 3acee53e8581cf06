# Wrong: one deadline per job, from its first start, shared by its retries: a retry gets what is left of it.
# Expected: 36
import asyncio, collections
Progress = collections.namedtuple("Progress", "queued running retrying done failed")

class JobRunner:
    def __init__(self, workers, *, timeout=None, retries=0, backoff=0.0, rate=None):
        self._n, self._timeout, self._retries, self._backoff = workers, timeout, retries, backoff
        self._gap = None if rate is None else 1 / rate
        self._state, self._handles, self._ended, self._workers = {}, {}, False, []
        self._deadline = {}
    async def __aenter__(self):
        self._loop = asyncio.get_running_loop()
        self._queue, self._rate_lock, self._last_start = asyncio.Queue(), asyncio.Lock(), None
        self._workers = [asyncio.create_task(self._work()) for _ in range(self._n)]
        return self
    async def __aexit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                open_ = [f for f in self._state if not f.done()]
                if open_:
                    await asyncio.wait(open_)
        finally:
            await self.aclose()
    def submit(self, job, *args):
        if self._ended:
            raise RuntimeError("submit() after the JobRunner block ended")
        fut = self._loop.create_future()
        self._state[fut] = "queued"
        self._queue.put_nowait((fut, job, args, 0))
        return fut
    def progress(self):
        c = collections.Counter(self._state.values())
        return Progress(c["queued"], c["running"], c["retrying"], c["done"], c["failed"])
    async def aclose(self):
        self._ended = True
        for h in self._handles.values(): h.cancel()
        self._handles.clear()
        for fut in self._state: fut.cancel()
        for w in self._workers: w.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
    async def _start_slot(self):
        if self._gap is None:
            return
        async with self._rate_lock:        # FIFO: workers start in the order they took jobs
            if self._last_start is not None:
                wait = self._last_start + self._gap - self._loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
            self._last_start = self._loop.time()
    async def _work(self):
        while True:
            fut, job, args, attempt = await self._queue.get()
            if fut.done():
                continue
            await self._start_slot()
            self._state[fut] = "running"
            if self._timeout is not None:
                self._deadline.setdefault(fut, self._loop.time() + self._timeout)
            try:
                async with asyncio.timeout_at(self._deadline.get(fut)):
                    result = await job(*args)
            except Exception as exc:
                if attempt < self._retries:
                    self._state[fut] = "retrying"
                    self._handles[fut] = self._loop.call_later(
                        self._backoff * 2 ** attempt, self._back, (fut, job, args, attempt + 1))
                else:
                    self._state[fut] = "failed"; fut.set_exception(exc)
            else:
                self._state[fut] = "done"; fut.set_result(result)
    def _back(self, item):
        self._handles.pop(item[0], None)
        self._state[item[0]] = "queued"
        self._queue.put_nowait(item)
