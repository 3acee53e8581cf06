# Right: one generator; the size check runs when the first chunk is asked for.
# Expected: 5
from itertools import islice


def chunked(iterable, size):
    if size < 1:
        raise ValueError("size must be positive")
    it = iter(iterable)
    while True:
        chunk = list(islice(it, size))
        if not chunk:
            return
        yield chunk
