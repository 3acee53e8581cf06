# Right: yields the two seeds by hand, then each new number from the previous two.
# Expected: 4
def fibonacci():
    yield 1
    yield 1
    previous, current = 1, 1
    while True:
        previous, current = current, previous + current
        yield current
