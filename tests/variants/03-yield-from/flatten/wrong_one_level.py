# Wrong: opens only the first level of nesting (yield from the sublist, no recursion).
# Expected: 0
def flatten(nested):
    for item in nested:
        if isinstance(item, (list, tuple)):
            yield from item
        else:
            yield item
