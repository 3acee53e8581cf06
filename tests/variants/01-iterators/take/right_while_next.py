# Right: calls next() by hand and stops at n or at StopIteration.
# Expected: 4
def take(n, iterable):
    iterator = iter(iterable)
    items = []
    while len(items) < n:
        try:
            items.append(next(iterator))
        except StopIteration:
            break
    return items
