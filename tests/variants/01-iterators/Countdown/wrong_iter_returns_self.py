# Wrong: __iter__ returns self, so the object is a one-shot iterator and nested loops break.
# Expected: 1
class Countdown:
    def __init__(self, start):
        self.current = start

    def __iter__(self):
        return self

    def __next__(self):
        if self.current <= 0:
            raise StopIteration
        self.current -= 1
        return self.current + 1
