# Wrong: forwards throw() but catches only Exception, so close() never closes the subgenerator.
# Expected: 5
def delegate(subgen):
    try:
        value = next(subgen)
    except StopIteration as stop:
        return stop.value
    while True:
        try:
            sent = yield value
        except Exception as exc:
            try:
                value = subgen.throw(exc)
            except StopIteration as stop:
                return stop.value
        else:
            try:
                value = subgen.send(sent)
            except StopIteration as stop:
                return stop.value
