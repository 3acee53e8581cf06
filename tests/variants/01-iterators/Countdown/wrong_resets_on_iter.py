# Wrong: its own iterator that rewinds on every iter(), so an inner loop restarts the outer one.
# Expected: 1
class Countdown:
    def __init__(self, start):
        self.start = start
        self.current = start

    def __iter__(self):
        self.current = self.start
        return self

    def __next__(self):
        if self.current < 1:
            raise StopIteration
        self.current -= 1
        return self.current + 1
