# Wrong: a TaskGroup stops the spinner neatly, but wraps the work's error in an ExceptionGroup.
# Expected: 6.75
async def spin(frames, interval):
    for frame in itertools.cycle("|/-\\"):
        frames.append(frame)
        await asyncio.sleep(interval)


async def supervisor(work, interval):
    frames = []
    async with asyncio.TaskGroup() as group:
        spinner = group.create_task(spin(frames, interval))
        try:
            result = await work()
        finally:
            spinner.cancel()
    return result, frames
