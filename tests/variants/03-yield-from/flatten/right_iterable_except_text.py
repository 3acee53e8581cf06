# Right: the cookbook recipe: open any iterable except str and bytes.
# Expected: 5
from collections.abc import Iterable


def flatten(nested, atoms=(str, bytes)):
    for item in nested:
        if isinstance(item, Iterable) and not isinstance(item, atoms):
            yield from flatten(item, atoms)
        else:
            yield item
