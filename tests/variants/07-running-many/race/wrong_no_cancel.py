# Wrong: takes the first result from asyncio.wait but leaves the losers running.
# Expected: 3
async def race(*coro_fns):
    tasks = [asyncio.create_task(fn()) for fn in coro_fns]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    return done.pop().result()
