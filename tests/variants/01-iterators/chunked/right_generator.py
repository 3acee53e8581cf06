# Right: a generator that fills a list and yields it when full, then the remainder.
# Expected: 5
def chunked(iterable, size):
    if size < 1:
        raise ValueError(f"size must be >= 1, not {size}")
    return _chunks(iterable, size)


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
