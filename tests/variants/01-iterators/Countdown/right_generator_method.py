# Right: __iter__ is a generator function, so every call makes a fresh generator.
# Expected: 4
class Countdown:
    def __init__(self, start):
        self.start = start

    def __iter__(self):
        n = self.start
        while n > 0:
            yield n
            n -= 1
