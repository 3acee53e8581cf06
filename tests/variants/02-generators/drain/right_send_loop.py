# Right: drives the generator with send(None), which is what next() does.
# Expected: 6
def drain(gen):
    values = []
    try:
        while True:
            values.append(gen.send(None))
    except StopIteration as stop:
        result = stop.value
    return values, result
