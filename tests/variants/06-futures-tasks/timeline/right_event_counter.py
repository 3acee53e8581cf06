# Right: validates in a separate pass, keeps the handles, and waits on an asyncio.Event set by the last callback.
# Expected: 8
async def timeline(events):
    events = list(events)
    for name, when, kind in events:
        if kind in {"later", "at"} and when < 0:
            raise ValueError(f"{name}: when must be >= 0, got {when}")
    loop = asyncio.get_running_loop()
    start = loop.time()
    log = []
    everything_fired = asyncio.Event()

    def on_fire(name):
        log.append((loop.time() - start, name))
        if len(log) == len(handles):
            everything_fired.set()

    handles = []
    for name, when, kind in events:
        if kind == "soon":
            handles.append(loop.call_soon(on_fire, name))
        elif kind == "later":
            handles.append(loop.call_later(when, on_fire, name))
        elif kind == "at":
            handles.append(loop.call_at(start + when, on_fire, name))
    if handles:
        await everything_fired.wait()
    return log
