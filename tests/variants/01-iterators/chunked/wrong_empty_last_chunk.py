# Wrong: yields a trailing empty list when the input divides evenly (and for empty input).
# Expected: 3
def chunked(iterable, size):
    if size < 1:
        raise ValueError("size must be at least 1")
    iterator = iter(iterable)
    while True:
        chunk = []
        for item in iterator:
            chunk.append(item)
            if len(chunk) == size:
                break
        yield chunk
        if len(chunk) < size:
            return
