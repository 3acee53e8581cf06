# Wrong: a producer task feeds a queue that the generator reads; closing the generator leaves the producer task running.
# Expected: 3
async def ticker(interval, count):
    ticks = asyncio.Queue()

    async def produce():
        for value in range(count):
            await asyncio.sleep(interval)
            await ticks.put(value)

    asyncio.create_task(produce())
    for _ in range(count):
        yield await ticks.get()
