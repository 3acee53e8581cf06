# Wrong: a coroutine that sleeps and returns a list, not an async generator: nothing arrives until the end, and async for refuses it.
# Expected: 0
async def ticker(interval, count):
    values = []
    for value in range(count):
        await asyncio.sleep(interval)
        values.append(value)
    return values
