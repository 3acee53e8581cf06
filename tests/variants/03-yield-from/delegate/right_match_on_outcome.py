# Right: one helper turns every step of the subgenerator into ("yield", value) or
# ("return", value); the generator dispatches on it with a match statement.
# Expected: 8
def _step(action, *args):
    try:
        return ("yield", action(*args))
    except StopIteration as stop:
        return ("return", stop.value)


def delegate(subgen):
    outcome = _step(next, subgen)
    while True:
        match outcome:
            case ("return", value):
                return value
            case ("yield", value):
                try:
                    sent = yield value
                except GeneratorExit:
                    subgen.close()
                    raise
                except BaseException as exc:
                    outcome = _step(subgen.throw, exc)
                else:
                    outcome = _step(subgen.send, sent)
