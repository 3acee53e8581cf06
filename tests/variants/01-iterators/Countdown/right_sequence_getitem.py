# Right: an old-style sequence with only __getitem__: iter() builds a new iterator over it
# every time, so it is a reusable iterable without an __iter__ of its own.
# Expected: 4
class Countdown:
    def __init__(self, start):
        self.start = start

    def __getitem__(self, index):
        if not 0 <= index < self.start:
            raise IndexError(index)
        return self.start - index
