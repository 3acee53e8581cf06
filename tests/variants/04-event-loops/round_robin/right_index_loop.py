# Right: walks a list of live generators with an index, deleting the exhausted one without skipping anybody.
# Expected: 5
def round_robin(*gens):
    live = list(gens)
    produced = []
    i = 0
    while live:
        i %= len(live)
        try:
            produced.append(next(live[i]))
        except StopIteration:
            del live[i]
        else:
            i += 1
    return produced
