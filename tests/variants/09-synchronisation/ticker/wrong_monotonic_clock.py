# Wrong: computes its deadlines on time.monotonic(), not on the loop's clock: right on a real loop, late on the checks' virtual time (the statement says to use the loop's clock).
# Expected: 2
import time


async def ticker(interval, count):
    start = time.monotonic()
    for value in range(count):
        await asyncio.sleep(max(0, start + (value + 1) * interval - time.monotonic()))
        yield value
