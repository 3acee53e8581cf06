# Wrong: sleeps after each value instead of before, so the first value comes at once and every tick is one interval early.
# Expected: 2
async def ticker(interval, count):
    for value in range(count):
        yield value
        await asyncio.sleep(interval)
