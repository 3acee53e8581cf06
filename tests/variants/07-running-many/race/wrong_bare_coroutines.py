# Wrong: the pre-3.11 idiom; asyncio.wait() refuses bare coroutines since Python 3.11 (TypeError).
# Expected: 0
async def race(*coro_fns):
    done, pending = await asyncio.wait([fn() for fn in coro_fns], return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    return done.pop().result()
