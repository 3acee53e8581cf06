# Wrong: runs each generator to the end before starting the next one: no turns at all.
# Expected: 0
def round_robin(*gens):
    produced = []
    for gen in gens:
        produced.extend(gen)
    return produced
