# Wrong: yields the step number instead of None; by hand the driver gets 0, 1, ..., and an asyncio task refuses it ("bad yield").
# Expected: 1
class Suspend:
    def __init__(self, n):
        if n < 0:
            raise ValueError(n)
        self.n = n

    def __await__(self):
        for step in range(self.n):
            yield step
        return self.n
