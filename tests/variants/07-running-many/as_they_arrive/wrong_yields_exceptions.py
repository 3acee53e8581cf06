# Wrong: yields a failed coroutine's exception object as if it were a result instead of raising it.
# Expected: 5
async def as_they_arrive(coros):
    tasks = [asyncio.create_task(coro) for coro in coros]
    try:
        for next_done in asyncio.as_completed(tasks):
            try:
                result = await next_done
            except Exception as exc:
                result = exc
            yield result
    finally:
        for task in tasks:
            task.cancel()
