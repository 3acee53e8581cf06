# Wrong: a correct chain, dict values included, but written with an inner for loop that
# yields each item instead of yield from, which the exercise asks for.
# Expected: 4
def my_chain(*iterables):
    for iterable in iterables:
        if isinstance(iterable, dict):
            iterable = iterable.values()
        for item in iterable:
            yield item
