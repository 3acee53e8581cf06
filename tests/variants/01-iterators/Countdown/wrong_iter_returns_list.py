# Wrong: __iter__ returns a list, which is an iterable but not an iterator, so iter() and
# every for loop fail with TypeError.
# Expected: 0
class Countdown:
    def __init__(self, start):
        self.start = start

    def __iter__(self):
        return list(range(self.start, 0, -1))
