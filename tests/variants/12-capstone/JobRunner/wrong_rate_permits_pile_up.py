# Wrong: the rate limit is a ticker that releases a Semaphore every 1 / rate s, so permits pile up while the runner is idle.
# Expected: 37
import asyncio, collections
Progress = collections.namedtuple("Progress", "queued running retrying done failed")

class JobRunner:
    def __init__(self, workers, *, timeout=None, retries=0, backoff=0.0, rate=None):
        self._n, self._timeout, self._retries, self._backoff = workers, timeout, retries, backoff
        self._gap = None if rate is None else 1 / rate
        self._state, self._handles, self._ended, self._workers = {}, {}, False, []
    async def __aenter__(self):
        self._loop = asyncio.get_running_loop()
        self._queue, self._permits = asyncio.Queue(), asyncio.Semaphore(0)
        self._workers = [asyncio.create_task(self._work()) for _ in range(self._n)]
        if self._gap is not None:
            self._workers.append(asyncio.create_task(self._tick()))
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
    async def _tick(self):
        while True:
            self._permits.release()
            await asyncio.sleep(self._gap)
    async def _start_slot(self):
        if self._gap is not None:
            await self._permits.acquire()
    async def _work(self):
        while True:
            fut, job, args, attempt = await self._queue.get()
            if fut.done():
                continue
            await self._start_slot()
            self._state[fut] = "running"
            try:
                result = await asyncio.wait_for(job(*args), self._timeout)
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
