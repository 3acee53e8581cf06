# Right: delegates to itertools.islice over an endless generator; islice itself raises the
# ValueError for a negative n, when the object is created.
# Expected: 5
import itertools


def _fibonacci_numbers():
    a, b = 1, 1
    while True:
        yield a
        a, b = b, a + b


class FibonacciIterator:
    def __init__(self, n):
        self._numbers = itertools.islice(_fibonacci_numbers(), n)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._numbers)
