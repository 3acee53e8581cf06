# Wrong: sleeps the time from the start to the next tick, (value + 1) * interval, on top of the ticks already waited: the ticks drift further and further.
# Expected: 2
async def ticker(interval, count):
    for value in range(count):
        await asyncio.sleep((value + 1) * interval)
        yield value
