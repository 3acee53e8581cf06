# Wrong: forgets that throw() can end the subgenerator: its StopIteration escapes delegate
# and Python turns it into RuntimeError.
# Expected: 5
def delegate(subgen):
    try:
        value = next(subgen)
    except StopIteration as stop:
        return stop.value
    while True:
        try:
            sent = yield value
        except GeneratorExit:
            subgen.close()
            raise
        except BaseException as exc:
            value = subgen.throw(exc)
        else:
            try:
                value = subgen.send(sent)
            except StopIteration as stop:
                return stop.value
