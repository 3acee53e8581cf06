# Wrong: the spinner sleeps with time.sleep, which blocks the whole event loop (vtime refuses it).
# Expected: 0
import time


async def spin(frames, interval):
    for frame in itertools.cycle("|/-\\"):
        frames.append(frame)
        time.sleep(interval)


async def supervisor(work, interval):
    frames = []
    spinner = asyncio.create_task(spin(frames, interval))
    try:
        result = await work()
    finally:
        spinner.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await spinner
    return result, frames
