# Wrong: checks each event as it schedules it, so the events before the bad one are already scheduled when ValueError is raised.
# Expected: 7
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
            continue
        if when < 0:
            raise ValueError(f"negative when for {name!r}")
        if kind == "later":
            loop.call_later(when, fire, name)
        else:
            loop.call_at(start + when, fire, name)
    await done
    return fired
