# Right: computes each deadline from the start on the loop's clock and sleeps until it, so a real clock cannot drift either.
# Expected: 5
async def ticker(interval, count):
    loop = asyncio.get_running_loop()
    start = loop.time()
    for value in range(count):
        await asyncio.sleep(max(0, start + (value + 1) * interval - loop.time()))
        yield value
