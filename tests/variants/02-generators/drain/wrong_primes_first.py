# Wrong: "primes" the generator with next() and throws that first value away.
# Expected: 0
def drain(gen):
    next(gen)
    values = []
    while True:
        try:
            values.append(gen.send(None))
        except StopIteration as stop:
            return values, stop.value
