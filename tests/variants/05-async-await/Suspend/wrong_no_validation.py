# Wrong: never checks n, so Suspend(-1) is created without complaint (and suspends zero times).
# Expected: 2
class Suspend:
    def __init__(self, n):
        self.n = n

    def __await__(self):
        for _ in range(self.n):
            yield
        return self.n
