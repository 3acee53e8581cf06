# Wrong: checks n only at the first next(), not when the object is created.
# Expected: 3
class FibonacciIterator:
    def __init__(self, n):
        self.n = n
        self.a, self.b = 1, 1

    def __iter__(self):
        return self

    def __next__(self):
        if self.n < 0:
            raise ValueError("n must not be negative")
        if self.n == 0:
            raise StopIteration
        self.n -= 1
        value, self.a, self.b = self.a, self.b, self.a + self.b
        return value
