# Wrong: checks the events in one loop over `events` and schedules them in a second loop; a generator or an iterator is empty the second time, so nothing is scheduled and it returns [] at once.
# Expected: 6
async def timeline(events):
    for name, when, kind in events:
        if kind != "soon" and when < 0:
            raise ValueError(f"{name!r}: when must not be negative, got {when}")
    loop = asyncio.get_running_loop()
    start = loop.time()
    fired = []
    done = []

    def fire(name, future):
        fired.append((loop.time() - start, name))
        future.set_result(None)

    for name, when, kind in events:
        future = loop.create_future()
        done.append(future)
        if kind == "soon":
            loop.call_soon(fire, name, future)
        elif kind == "later":
            loop.call_later(when, fire, name, future)
        else:
            loop.call_at(start + when, fire, name, future)
    await asyncio.gather(*done)
    return fired
