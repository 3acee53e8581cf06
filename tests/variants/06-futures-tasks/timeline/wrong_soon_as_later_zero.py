# Wrong: "soon" scheduled as call_later(0): a timer, so it no longer runs before timers due now, nor surely in order.
# Expected: 6
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
        if kind == "at":
            loop.call_at(start + when, fire, name)
        else:
            loop.call_later(0 if kind == "soon" else when, fire, name)
    await done
    return fired
