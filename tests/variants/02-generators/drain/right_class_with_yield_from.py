# Right: an iterable class whose __iter__ delegates with yield from and keeps the return value.
# Expected: 6
class _Drained:
    def __init__(self, gen):
        self.gen = gen
        self.result = None

    def __iter__(self):
        self.result = yield from self.gen


def drain(gen):
    drained = _Drained(gen)
    values = list(drained)
    return values, drained.result
