# Right: throws every exception into the subgenerator, GeneratorExit included, which closes
# it just as close() would; one StopIteration handler for all paths.
# Expected: 8
def delegate(subgen):
    try:
        value = next(subgen)
        while True:
            try:
                sent = yield value
            except BaseException as exc:
                value = subgen.throw(exc)
            else:
                value = subgen.send(sent)
    except StopIteration as stop:
        return stop.value
