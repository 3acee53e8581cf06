# Wrong: stops when the subgenerator does, but drops its return value (returns None).
# Expected: 3
def delegate(subgen):
    try:
        value = next(subgen)
    except StopIteration:
        return
    while True:
        try:
            sent = yield value
        except GeneratorExit:
            subgen.close()
            raise
        except BaseException as exc:
            try:
                value = subgen.throw(exc)
            except StopIteration:
                return
        else:
            try:
                value = subgen.send(sent)
            except StopIteration:
                return
