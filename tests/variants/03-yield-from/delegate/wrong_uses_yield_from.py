# Wrong: correct behaviour, but it is written with yield from, which the exercise forbids.
# Expected: 6
def delegate(subgen):
    result = yield from subgen
    return result
