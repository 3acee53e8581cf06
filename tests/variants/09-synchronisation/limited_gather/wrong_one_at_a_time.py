# Wrong: awaits them one after another: never over the limit, but never using it either.
# Expected: 2
async def limited_gather(limit, coro_fns):
    return [await coro_fn() for coro_fn in coro_fns]
