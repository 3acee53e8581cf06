# Wrong: removes an exhausted generator from the list it is looping over, so the next generator loses its turn in that round.
# Expected: 3
def round_robin(*gens):
    tasks = list(gens)
    produced = []
    while tasks:
        for gen in tasks:
            try:
                produced.append(next(gen))
            except StopIteration:
                tasks.remove(gen)
    return produced
