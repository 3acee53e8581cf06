# Right: a while loop that yields what asyncio.sleep(interval, result=value) returns.
# Expected: 5
async def ticker(interval, count):
    value = 0
    while value < count:
        yield await asyncio.sleep(interval, result=value)
        value += 1
