# Wrong: the pre-3.11 idiom; asyncio.wait() refuses bare coroutines since Python 3.11 (TypeError).
# Expected: 0
async def as_they_arrive(coros):
    pending = set(coros)
    while pending:
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            yield task.result()
