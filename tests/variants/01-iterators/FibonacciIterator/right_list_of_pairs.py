# Right: counts with an index and keeps the last two numbers in a tuple.
# Expected: 5
class FibonacciIterator:
    def __init__(self, n):
        if not n >= 0:
            raise ValueError(f"expected n >= 0, got {n!r}")
        self._n = n
        self._index = 0
        self._pair = (0, 1)

    def __iter__(self):
        return self

    def __next__(self):
        if self._index == self._n:
            raise StopIteration()
        self._index += 1
        previous, current = self._pair
        self._pair = (current, previous + current)
        return current
