# Wrong: call_at(when) treats `when` as an absolute loop time; it only works when the loop clock happens to start at 0.
# Expected: 7
async def timeline(events):
    events = list(events)
    if any(kind != "soon" and when < 0 for _, when, kind in events):
        raise ValueError("negative when")
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
            loop.call_at(when, fire, name)
    await done
    return fired
