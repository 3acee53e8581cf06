# Wrong: never checks size, so size 0 quietly gives nothing instead of raising ValueError.
# Expected: 3
import itertools


def chunked(iterable, size):
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
