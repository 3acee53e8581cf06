# Wrong: a negative n silently gives an empty iterator instead of raising ValueError.
# Expected: 3
class FibonacciIterator:
    def __init__(self, n):
        self.left = n
        self.a, self.b = 1, 1

    def __iter__(self):
        return self

    def __next__(self):
        if self.left <= 0:
            raise StopIteration
        self.left -= 1
        value, self.a, self.b = self.a, self.b, self.a + self.b
        return value
