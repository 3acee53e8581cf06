# Wrong: time.sleep() blocks the event loop (and is refused on the virtual-time loop).
# Expected: 0
import time


async def ticker(interval, count):
    for value in range(count):
        time.sleep(interval)
        yield value
