# Right: a helper generator per argument, delegated to with yield from.
# Expected: 6
def _items_of(iterable):
    if isinstance(iterable, dict):
        for key in iterable:
            yield iterable[key]
    else:
        yield from iterable


def my_chain(*iterables):
    for iterable in iterables:
        yield from _items_of(iterable)
