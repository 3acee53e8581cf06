# Wrong: builds every chunk up front, so it is not lazy and never ends on an endless input.
# Expected: 2
def chunked(iterable, size):
    if size < 1:
        raise ValueError("size must be at least 1")
    items = list(iterable)
    return iter([items[i:i + size] for i in range(0, len(items), size)])
