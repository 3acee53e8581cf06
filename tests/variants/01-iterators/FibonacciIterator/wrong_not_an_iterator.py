# Wrong: an iterable whose __iter__ is a generator; there is no __next__, so it is not an iterator.
# Expected: 2
class FibonacciIterator:
    def __init__(self, n):
        if n < 0:
            raise ValueError("n must not be negative")
        self.n = n

    def __iter__(self):
        a, b = 1, 1
        for _ in range(self.n):
            yield a
            a, b = b, a + b
