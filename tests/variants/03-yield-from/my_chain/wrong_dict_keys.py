# Wrong: the textbook chain; a dict contributes its keys instead of its values.
# Expected: 4
def my_chain(*iterables):
    for iterable in iterables:
        yield from iterable
