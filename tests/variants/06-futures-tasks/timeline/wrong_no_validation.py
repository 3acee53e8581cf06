# Wrong: no check at all; asyncio accepts a negative delay or a past time and just runs the callback at once.
# Expected: 5
async def timeline(events):
    events = list(events)
    loop = asyncio.get_running_loop()
    start = loop.time()
    fired = []
    if not events:
        return fired
    done = loop.create_future()

    def fire(name):
        fired.append((loop.time() - start, name))
        if len(fired) == len(events):
            done.set_result(None)

    for name, when, kind in events:
        if kind == "soon":
            loop.call_soon(fire, name)
        elif kind == "later":
            loop.call_later(when, fire, name)
        else:
            loop.call_at(start + when, fire, name)
    await done
    return fired
