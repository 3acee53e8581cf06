# Wrong: the priming next() catches every exception, not only StopIteration, so a
# subgenerator that fails at its first step ends delegate with an AttributeError instead
# of its own exception.
# Expected: 6
def delegate(subgen):
    try:
        value = next(subgen)
    except BaseException as stop:
        return stop.value
    while True:
        try:
            sent = yield value
        except GeneratorExit:
            subgen.close()
            raise
        except BaseException as exc:
            try:
                value = subgen.throw(exc)
            except StopIteration as stop:
                return stop.value
        else:
            try:
                value = subgen.send(sent)
            except StopIteration as stop:
                return stop.value
