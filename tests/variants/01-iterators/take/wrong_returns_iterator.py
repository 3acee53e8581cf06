# Wrong: returns a lazy islice object instead of a list.
# Expected: 0
import itertools


def take(n, iterable):
    return itertools.islice(iterable, n)
