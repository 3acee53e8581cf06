# Wrong: keeps strings whole but forgets bytes, which come out as small ints.
# Expected: 3
from collections.abc import Iterable


def flatten(nested):
    for item in nested:
        if isinstance(item, Iterable) and not isinstance(item, str):
            yield from flatten(item)
        else:
            yield item
