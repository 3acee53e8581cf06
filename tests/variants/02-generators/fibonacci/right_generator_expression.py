# Right: a generator expression over itertools.accumulate is a generator object too.
# Expected: 4
import itertools


def fibonacci():
    pairs = itertools.accumulate(itertools.repeat(None), lambda pair, _: (pair[1], sum(pair)),
                                 initial=(1, 1))
    return (a for a, _ in pairs)
