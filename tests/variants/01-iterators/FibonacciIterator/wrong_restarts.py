# Wrong: resets itself when exhausted, so a second loop starts over.
# Expected: 3
class FibonacciIterator:
    def __init__(self, n):
        if n < 0:
            raise ValueError("n must not be negative")
        self.n = n
        self.reset()

    def reset(self):
        self.i, self.a, self.b = 0, 1, 1

    def __iter__(self):
        return self

    def __next__(self):
        if self.i >= self.n:
            self.reset()
            raise StopIteration
        self.i += 1
        value = self.a
        self.a, self.b = self.b, self.a + self.b
        return value
