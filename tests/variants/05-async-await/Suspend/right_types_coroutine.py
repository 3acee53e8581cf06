# Right: a @types.coroutine generator does the suspending; __await__ delegates to a fresh one on every await.
# Expected: 4
import types


@types.coroutine
def _pauses(n):
    for _ in range(n):
        yield
    return n


class Suspend:
    __slots__ = ("n",)

    def __init__(self, n):
        if n < 0:
            raise ValueError(f"cannot suspend {n} times")
        self.n = n

    def __await__(self):
        return (yield from _pauses(self.n))
