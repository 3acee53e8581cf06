# Wrong: progress() keeps counters, and a timed-out attempt is never taken off 'running'.
# Expected: 37
import asyncio, collections
Progress = collections.namedtuple("Progress", "queued running retrying done failed")

class JobRunner:
    def __init__(self, workers, *, timeout=None, retries=0, backoff=0.0, rate=None):
        self._n, self._timeout, self._retries, self._backoff = workers, timeout, retries, backoff
        self._gap = None if rate is None else 1 / rate
        self._state, self._handles, self._ended, self._workers = {}, {}, False, []
        self._counts = collections.Counter()
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
        self._move(fut, None, "queued")
        self._queue.put_nowait((fut, job, args, 0))
        return fut
    def progress(self):
        return Progress(*(self._counts[field] for field in Progress._fields))
    def _move(self, fut, old, new):
        if old is not None:
            self._counts[old] -= 1
        self._counts[new] += 1
        self._state[fut] = new
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
            self._move(fut, "queued", "running")
            try:
                result = await asyncio.wait_for(job(*args), self._timeout)
            except TimeoutError as exc:
                self._failed(fut, job, args, attempt, exc)   # the attempt is over, yet still counted as running
            except Exception as exc:
                self._counts["running"] -= 1
                self._failed(fut, job, args, attempt, exc)
            else:
                self._move(fut, "running", "done"); fut.set_result(result)
    def _failed(self, fut, job, args, attempt, exc):
        if attempt < self._retries:
            self._move(fut, None, "retrying")
            self._handles[fut] = self._loop.call_later(
                self._backoff * 2 ** attempt, self._back, (fut, job, args, attempt + 1))
        else:
            self._move(fut, None, "failed"); fut.set_exception(exc)
    def _back(self, item):
        self._handles.pop(item[0], None)
        self._move(item[0], "retrying", "queued")
        self._queue.put_nowait(item)
