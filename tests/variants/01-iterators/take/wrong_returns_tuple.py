# Wrong: returns a tuple, and the statement asks for a list (every check compares types too).
# Expected: 0
import itertools


def take(n, iterable):
    return tuple(itertools.islice(iterable, n))
