# Wrong: opens every iterable, strings included, so a string recurses forever (RecursionError).
# Expected: 3
from collections.abc import Iterable


def flatten(nested):
    for item in nested:
        if isinstance(item, Iterable):
            yield from flatten(item)
        else:
            yield item
