# Wrong: never primes the subgenerator: yields None first, then sends the caller's value
# into a just-started generator.
# Expected: 1
def delegate(subgen):
    value = None
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
