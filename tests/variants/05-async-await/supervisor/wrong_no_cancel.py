# Wrong: forgets to cancel the spinner, so it is still spinning (pending) after supervisor returns.
# Expected: 3.25
async def spin(frames, interval):
    for frame in itertools.cycle("|/-\\"):
        frames.append(frame)
        await asyncio.sleep(interval)


async def supervisor(work, interval):
    frames = []
    asyncio.create_task(spin(frames, interval))
    result = await work()
    return result, frames
