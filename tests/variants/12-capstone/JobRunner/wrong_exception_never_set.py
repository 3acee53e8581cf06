# Wrong: a job whose last attempt fails never gets its future resolved.
# Expected: 26
Progress = collections.namedtuple("Progress", "queued running retrying done failed")


class JobRunner:
    def __init__(self, workers, *, timeout=None, retries=0, backoff=0.0, rate=None):
        self.workers = workers
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.spacing = None if rate is None else 1 / rate
        self.counts = collections.Counter()
        self.futures = []
        self.tasks = set()  # the workers and the retries waiting out their backoff
        self.closed = False

    async def __aenter__(self):
        self.queue = asyncio.Queue()  # (future, job, args, attempt), in start order
        self.next_start = asyncio.get_running_loop().time()  # the rate limit's next free moment
        for _ in range(self.workers):
            self._spawn(self._worker())
        return self

    async def __aexit__(self, exc_type, exc, tb):
        try:
            unresolved = [future for future in self.futures if not future.done()]
            if exc_type is None and unresolved:
                await asyncio.wait(unresolved)  # a normal exit waits for every job
        finally:
            await self.aclose()  # also when the wait above is cancelled

    def submit(self, job, *args):
        if self.closed:
            raise RuntimeError("this JobRunner is closed")
        future = asyncio.get_running_loop().create_future()
        self.futures.append(future)
        self._enqueue((future, job, args, 0))
        return future

    def progress(self):
        return Progress(*(self.counts[field] for field in Progress._fields))

    async def aclose(self):
        self.closed = True
        for future in self.futures:
            future.cancel()  # does nothing to a future that is already resolved
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    def _spawn(self, coro):
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def _enqueue(self, item):
        self.counts["queued"] += 1
        self.queue.put_nowait(item)

    async def _wait_for_rate(self):
        if self.spacing is None:
            return
        loop = asyncio.get_running_loop()
        start = max(loop.time(), self.next_start)
        self.next_start = start + self.spacing  # reserved in queue order: fair and global
        await asyncio.sleep(start - loop.time())

    async def _worker(self):
        while True:
            future, job, args, attempt = await self.queue.get()
            await self._wait_for_rate()
            self.counts["queued"] -= 1
            self.counts["running"] += 1
            try:
                async with asyncio.timeout(self.timeout):  # counts from the attempt's start
                    result = await job(*args)
            except Exception as error:
                self.counts["running"] -= 1
                if attempt < self.retries:
                    self.counts["retrying"] += 1
                    delay = self.backoff * 2 ** attempt
                    self._spawn(self._retry_later((future, job, args, attempt + 1), delay))
                else:
                    self.counts["failed"] += 1
            else:
                self.counts["running"] -= 1
                self.counts["done"] += 1
                future.set_result(result)

    async def _retry_later(self, item, delay):
        await asyncio.sleep(delay)  # no worker is held meanwhile
        self.counts["retrying"] -= 1
        self._enqueue(item)  # to the back of the queue
