# Wrong: stop.args[0] fails with IndexError when the generator returned None.
# Expected: 3
def drain(gen):
    values = []
    while True:
        try:
            values.append(next(gen))
        except StopIteration as stop:
            return values, stop.args[0]
