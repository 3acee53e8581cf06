# Right: one step per turn: send() (send(None) primes) or throw() of a pending exception.
# Expected: 8
def delegate(subgen):
    to_send, pending = None, None
    while True:
        try:
            if pending is None:
                value = subgen.send(to_send)
            else:
                value = subgen.throw(pending)
        except StopIteration as stop:
            return stop.value
        pending = None
        try:
            to_send = yield value
        except GeneratorExit:
            subgen.close()
            raise
        except BaseException as exc:
            pending = exc
