# Right: the scheduled callback is each future's own set_result; a done-callback on the future stamps the time.
# Expected: 8
async def timeline(events):
    events = list(events)
    for name, when, kind in events:
        if kind != "soon" and when < 0:
            raise ValueError(f"{name!r} has a negative when: {when}")
    loop = asyncio.get_running_loop()
    start = loop.time()
    stamps = []
    futures = []
    for name, when, kind in events:
        future = loop.create_future()
        future.add_done_callback(lambda f: stamps.append((loop.time() - start, f.result())))
        if kind == "soon":
            loop.call_soon(future.set_result, name)
        elif kind == "later":
            loop.call_later(when, future.set_result, name)
        else:
            loop.call_at(start + when, future.set_result, name)
        futures.append(future)
    if futures:
        await asyncio.wait(futures)
    return stamps
