# Wrong: uses next(gen, None) and takes None for "exhausted", so a generator that yields None is dropped early.
# Expected: 3
def round_robin(*gens):
    tasks = list(gens)
    produced = []
    while tasks:
        still_going = []
        for gen in tasks:
            value = next(gen, None)
            if value is not None:
                produced.append(value)
                still_going.append(gen)
        tasks = still_going
    return produced
