# Wrong: tests type(...) is dict, so OrderedDict, defaultdict and Counter give their keys.
# Expected: 5
def my_chain(*iterables):
    for iterable in iterables:
        if type(iterable) is dict:
            yield from iterable.values()
        else:
            yield from iterable
