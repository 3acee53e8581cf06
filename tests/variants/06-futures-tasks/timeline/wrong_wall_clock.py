# Wrong: stamps events with time.monotonic() (the wall clock) instead of loop.time(), the clock the loop schedules by.
# Expected: 6
import time


async def timeline(events):
    events = list(events)
    if any(kind != "soon" and when < 0 for _, when, kind in events):
        raise ValueError("negative when")
    loop = asyncio.get_running_loop()
    start, wall_start = loop.time(), time.monotonic()
    fired = []
    if not events:
        return fired
    done = loop.create_future()

    def fire(name):
        fired.append((time.monotonic() - wall_start, name))
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
