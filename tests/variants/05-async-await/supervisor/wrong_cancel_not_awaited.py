# Wrong: the old tutorial's pattern: cancel() only asks, and supervisor returns before the spinner has stopped.
# Expected: 4.25
async def spin(frames, interval):
    for frame in itertools.cycle("|/-\\"):
        frames.append(frame)
        try:
            await asyncio.sleep(interval)
        except asyncio.CancelledError:
            break


async def supervisor(work, interval):
    frames = []
    spinner = asyncio.create_task(spin(frames, interval))
    try:
        result = await work()
    finally:
        spinner.cancel()
    return result, frames
