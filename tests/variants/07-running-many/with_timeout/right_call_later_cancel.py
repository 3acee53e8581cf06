# Right: a timer cancels the task; Task.cancelling() tells our own cancellation from the timer's.
# Expected: 6
async def with_timeout(coro, seconds, default):
    task = asyncio.ensure_future(coro)
    timer = asyncio.get_running_loop().call_later(seconds, task.cancel)
    try:
        return await task
    except asyncio.CancelledError:
        if asyncio.current_task().cancelling():
            raise  # we were cancelled from outside: pass it on
        return default
    finally:
        timer.cancel()
