# Wrong: counts down to 0 instead of stopping at 1.
# Expected: 2
class Countdown:
    def __init__(self, start):
        self.start = start

    def __iter__(self):
        return iter(range(self.start, -1, -1))
