# Wrong: makes its generator once, in __init__, and hands the same one to every await: the second await finds it finished and gives None.
# Expected: 2
class Suspend:
    def __init__(self, n):
        if n < 0:
            raise ValueError(n)
        self.n = n
        self._steps = self._suspend()

    def _suspend(self):
        for _ in range(self.n):
            yield
        return self.n

    def __await__(self):
        return self._steps
