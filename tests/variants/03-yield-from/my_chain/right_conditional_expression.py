# Right: picks what to iterate with a conditional expression, one yield from per argument.
# Expected: 6
from collections.abc import Iterable


def my_chain(*iterables: Iterable):
    for it in iterables:
        yield from (it.values() if isinstance(it, dict) else it)
