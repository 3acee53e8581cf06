# Right: an Iterator subclass that delegates to a private generator.
# Expected: 5
import collections.abc


class FibonacciIterator(collections.abc.Iterator):
    def __init__(self, n):
        if n < 0:
            raise ValueError("negative n")
        self._numbers = self._generate(n)

    @staticmethod
    def _generate(n):
        a, b = 1, 1
        for _ in range(n):
            yield a
            a, b = b, a + b

    def __next__(self):
        return next(self._numbers)
