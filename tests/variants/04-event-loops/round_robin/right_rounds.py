# Right: one round at a time, keeping the generators that are still alive for the next round.
# Expected: 5
def round_robin(*gens):
    produced = []
    alive = list(gens)
    while alive:
        next_round = []
        for gen in alive:
            for value in gen:  # takes one value, then stops
                produced.append(value)
                next_round.append(gen)
                break
        alive = next_round
    return produced
