# Right: a class built on the collections.abc.Generator ABC, which supplies __next__ and close.
# Expected: 7
class averager(Generator):
    def __init__(self):
        self._started = self._ended = False
        self._count, self._total = 0, 0.0

    def send(self, value):
        if self._ended:
            raise StopIteration
        if not self._started:
            if value is not None:
                raise TypeError("can't send non-None value to a just-started generator")
            self._started = True
            return None
        if value is None:
            self._ended = True
            average = self._total / self._count if self._count else None
            raise StopIteration(Result(self._count, average))
        self._count += 1
        self._total += value
        return self._total / self._count

    def throw(self, typ, val=None, tb=None):
        self._ended = True
        if val is None:
            val = typ() if isinstance(typ, type) else typ
        raise val
