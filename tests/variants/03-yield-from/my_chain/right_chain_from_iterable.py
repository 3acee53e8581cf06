# Right: yield from an itertools.chain.from_iterable over a generator expression that swaps
# each dict for its values: lazy all the way, and it still uses yield from.
# Expected: 6
import itertools


def my_chain(*iterables):
    yield from itertools.chain.from_iterable(
        iterable.values() if isinstance(iterable, dict) else iterable for iterable in iterables
    )
