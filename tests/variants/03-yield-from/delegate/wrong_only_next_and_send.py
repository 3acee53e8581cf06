# Wrong: forwards next() and send() only; throw() and close() stop at delegate itself.
# Expected: 3
def delegate(subgen):
    try:
        value = next(subgen)
    except StopIteration as stop:
        return stop.value
    while True:
        sent = yield value
        try:
            value = subgen.send(sent)
        except StopIteration as stop:
            return stop.value
