# Wrong: list(iterable)[:n] reads everything, so it never ends on an endless input.
# Expected: 1
def take(n, iterable):
    return list(iterable)[:n]
