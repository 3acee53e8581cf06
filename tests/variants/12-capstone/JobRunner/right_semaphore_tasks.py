# Right: a task per job that takes a Semaphore slot for each attempt; the task itself is the future.
# Expected: 38
import itertools

Progress = collections.namedtuple("Progress", ["queued", "running", "retrying", "done", "failed"])


class JobRunner:
    def __init__(self, workers, *, timeout=None, retries=0, backoff=0.0, rate=None):
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.interval = None if rate is None else 1 / rate
        self.slots = asyncio.Semaphore(workers)
        self.turns = asyncio.Lock()  # hands out rate-limited starts in arrival order
        self.last_start = None
        self.state = {}  # job number -> "queued", "running", "retrying", "done" or "failed"
        self.numbers = itertools.count()
        self.tasks = set()
        self.accepting = False

    async def __aenter__(self):
        self.accepting = True
        return self

    async def __aexit__(self, exc_type, exc, tb):
        self.accepting = False
        try:
            while exc_type is None and any(not task.done() for task in self.tasks):
                await asyncio.wait(self.tasks)
        finally:
            await self.aclose()

    def submit(self, job, *args):
        if not self.accepting:
            raise RuntimeError("submit() outside the async with block")
        number = next(self.numbers)
        self.state[number] = "queued"
        task = asyncio.create_task(self._run(number, job, args))
        self.tasks.add(task)
        return task

    def progress(self):
        counts = collections.Counter(self.state.values())
        return Progress(*(counts[name] for name in Progress._fields))

    async def aclose(self):
        self.accepting = False
        for task in self.tasks:
            task.cancel()
        if self.tasks:
            await asyncio.wait(self.tasks)

    async def _take_turn(self):
        if self.interval is None:
            return
        async with self.turns:
            loop = asyncio.get_running_loop()
            if self.last_start is not None:
                await asyncio.sleep(self.last_start + self.interval - loop.time())
            self.last_start = loop.time()

    async def _run(self, number, job, args):
        for attempt in range(self.retries + 1):
            if attempt:
                self.state[number] = "retrying"
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
                self.state[number] = "queued"
            async with self.slots:
                await self._take_turn()
                self.state[number] = "running"
                try:
                    result = await asyncio.wait_for(job(*args), self.timeout)
                except Exception as error:
                    failure = error
                else:
                    self.state[number] = "done"
                    return result
        self.state[number] = "failed"
        raise failure
