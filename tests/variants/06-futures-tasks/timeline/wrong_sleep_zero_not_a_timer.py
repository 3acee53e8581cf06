# Wrong: sleeps until the last timer is due, but sleep(0) is no timer: with later(0) the last timer is not run yet.
# Expected: 6
async def timeline(events):
    events = list(events)
    timers = [when for _, when, kind in events if kind != "soon"]
    if any(when < 0 for when in timers):
        raise ValueError("timers need a when >= 0")
    loop = asyncio.get_running_loop()
    start = loop.time()
    fired = []
    if not events:
        return fired
    stamp = lambda name: fired.append((loop.time() - start, name))
    schedule = {
        "soon": lambda when, name: loop.call_soon(stamp, name),
        "later": lambda when, name: loop.call_later(when, stamp, name),
        "at": lambda when, name: loop.call_at(start + when, stamp, name),
    }
    for name, when, kind in events:
        schedule[kind](when, name)
    await asyncio.sleep(max(timers, default=0))
    return fired
