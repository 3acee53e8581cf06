# Wrong: list() swallows the StopIteration; asking again gives a new one with no value.
# Expected: 1
def drain(gen):
    values = list(gen)
    try:
        next(gen)
    except StopIteration as stop:
        return values, stop.value
