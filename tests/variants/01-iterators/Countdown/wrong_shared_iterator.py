# Wrong: creates one iterator up front and hands out the same one every time.
# Expected: 1
class Countdown:
    def __init__(self, start):
        self._numbers = iter(range(start, 0, -1))

    def __iter__(self):
        return self._numbers
