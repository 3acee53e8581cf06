# Right: itertools all the way: islice chunks from an endless repeat, cut at the first empty one.
# Expected: 5
from itertools import islice, repeat, takewhile


def chunked(iterable, size):
    if size < 1:
        raise ValueError("size must be at least 1")
    items = iter(iterable)
    return takewhile(bool, (list(islice(items, size)) for _ in repeat(None)))
