# Wrong: starts the sequence at 0 (0, 1, 1, 2, ...), the classic off-by-one.
# Expected: 3
class FibonacciIterator:
    def __init__(self, n):
        if n < 0:
            raise ValueError("n must not be negative")
        self.n = n
        self.a, self.b = 0, 1

    def __iter__(self):
        return self

    def __next__(self):
        if self.n == 0:
            raise StopIteration
        self.n -= 1
        value = self.a
        self.a, self.b = self.b, self.a + self.b
        return value
