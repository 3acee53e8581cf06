# Wrong: collects everything into a list first (no generator, no yield from), so it is not
# lazy and never ends on endless input.
# Expected: 2
def my_chain(*iterables):
    items = []
    for iterable in iterables:
        if isinstance(iterable, dict):
            iterable = iterable.values()
        items.extend(iterable)
    return items
