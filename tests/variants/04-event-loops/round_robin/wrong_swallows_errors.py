# Wrong: takes any exception for the end of a generator, so a generator that fails just drops out and the error is lost.
# Expected: 3
from collections import deque


def round_robin(*gens):
    ready = deque(gens)
    produced = []
    while ready:
        gen = ready.popleft()
        try:
            produced.append(next(gen))
        except Exception:
            continue
        ready.append(gen)
    return produced
