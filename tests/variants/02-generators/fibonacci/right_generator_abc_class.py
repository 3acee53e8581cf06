# Right: fibonacci is a class built on collections.abc.Generator (it writes send and throw;
# the ABC gives __next__, __iter__ and close), so calling it makes a generator object.
# Expected: 4
class fibonacci(Generator):
    __slots__ = ("_a", "_b")

    def __init__(self):
        self._a, self._b = 1, 1

    def send(self, value):
        number = self._a
        self._a, self._b = self._b, self._a + self._b
        return number

    def throw(self, typ, val=None, tb=None):
        raise typ if val is None else val
