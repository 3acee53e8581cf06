# Right: recursive, re-yielding each item with a for loop instead of yield from.
# Expected: 5
def flatten(nested):
    for item in nested:
        if isinstance(item, list | tuple):
            for inner in flatten(item):
                yield inner
        else:
            yield item
