# Right: work runs as a task too; a class holds the frames; gather(return_exceptions=True) waits for the cancelled spinner.
# Expected: 8
class Spinner:
    def __init__(self, interval):
        self.interval = interval
        self.shown = []

    async def run(self):
        frames = itertools.cycle(["|", "/", "-", "\\"])
        while True:
            self.shown.append(next(frames))
            await asyncio.sleep(self.interval)


async def supervisor(work, interval):
    spinner = Spinner(interval)
    spin_task = asyncio.create_task(spinner.run())
    work_task = asyncio.create_task(work())
    try:
        result = await work_task
    finally:
        work_task.cancel()
        spin_task.cancel()
        await asyncio.gather(spin_task, return_exceptions=True)
    return result, spinner.shown
