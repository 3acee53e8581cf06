# Wrong: the spinner sleeps before showing a frame, so the first frame comes one interval late.
# Expected: 7
async def spin(frames, interval):
    for frame in itertools.cycle("|/-\\"):
        await asyncio.sleep(interval)
        frames.append(frame)


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
