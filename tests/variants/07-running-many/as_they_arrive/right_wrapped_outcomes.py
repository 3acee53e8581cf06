# Right: wrapper tasks put (ok, value) pairs in a queue; a failure is raised when it is taken out.
# Expected: 7
async def as_they_arrive(coros):
    outcomes = asyncio.Queue()

    async def settle(coro):
        try:
            outcomes.put_nowait((True, await coro))
        except Exception as exc:
            outcomes.put_nowait((False, exc))

    workers = [asyncio.create_task(settle(coro)) for coro in coros]
    try:
        for _ in workers:
            ok, value = await outcomes.get()
            if not ok:
                raise value
            yield value
    finally:
        for worker in workers:
            worker.cancel()
