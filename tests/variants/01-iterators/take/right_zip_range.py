# Right: zip stops at the shorter input; range goes first so no extra item is pulled.
# Expected: 4
def take(n, iterable):
    return [item for _, item in zip(range(n), iterable)]
