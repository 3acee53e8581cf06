# Wrong: sleeps for the largest `when`, counting the ignored `when` of "soon" events; max() fails on no events; sleep(0) is no timer.
# Expected: 3
async def timeline(events):
    events = list(events)
    if any(kind != "soon" and when < 0 for _, when, kind in events):
        raise ValueError("negative when")
    loop = asyncio.get_running_loop()
    start = loop.time()
    fired = []

    def fire(name):
        fired.append((loop.time() - start, name))

    for name, when, kind in events:
        if kind == "soon":
            loop.call_soon(fire, name)
        elif kind == "later":
            loop.call_later(when, fire, name)
        else:
            loop.call_at(start + when, fire, name)
    await asyncio.sleep(max(when for _, when, _ in events))
    return fired
