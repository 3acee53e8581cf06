# Right: frame k is due at start + k * interval on the loop clock; asyncio.wait lets the cancelled spinner finish.
# Expected: 8
async def _spinner(frames, interval):
    loop = asyncio.get_running_loop()
    start = loop.time()
    for k in itertools.count():
        frames.append("|/-\\"[k % 4])
        await asyncio.sleep(start + (k + 1) * interval - loop.time())


async def supervisor(work, interval):
    frames = []
    task = asyncio.get_running_loop().create_task(_spinner(frames, interval))
    try:
        return await work(), frames
    finally:
        task.cancel()
        await asyncio.wait([task])
