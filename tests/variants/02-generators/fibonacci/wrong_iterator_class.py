# Wrong: an endless iterator object, but not a generator (no send, throw or close).
# Expected: 2
class _Fibonacci:
    def __init__(self):
        self.a, self.b = 1, 1

    def __iter__(self):
        return self

    def __next__(self):
        value = self.a
        self.a, self.b = self.b, self.a + self.b
        return value


def fibonacci():
    return _Fibonacci()
