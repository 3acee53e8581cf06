# Right: one future per event, resolved by its callback (through functools.partial); gather waits for all of them.
# Expected: 8
async def timeline(events):
    events = list(events)
    bad = [name for name, when, kind in events if kind != "soon" and when < 0]
    if bad:
        raise ValueError(f"negative when for {bad}")
    loop = asyncio.get_running_loop()
    start = loop.time()
    order = []

    def fired(name, future):
        order.append((loop.time() - start, name))
        future.set_result(name)

    futures = []
    for name, when, kind in events:
        future = loop.create_future()
        callback = functools.partial(fired, name, future)
        if kind == "soon":
            loop.call_soon(callback)
        elif kind == "later":
            loop.call_later(when, callback)
        else:
            loop.call_at(start + when, callback)
        futures.append(future)
    await asyncio.gather(*futures)
    return order
