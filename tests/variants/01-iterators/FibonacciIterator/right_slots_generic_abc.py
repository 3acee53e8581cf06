# Right: __slots__, a subscripted collections.abc.Iterator[int] as its base (which gives
# __iter__), and the ValueError raised by a helper method.
# Expected: 5
from collections.abc import Iterator as _Iterator


class FibonacciIterator(_Iterator[int]):
    __slots__ = ("_left", "_pair")

    def __init__(self, n: int) -> None:
        self._left = self._checked(n)
        self._pair = (1, 1)

    @staticmethod
    def _checked(n: int) -> int:
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        return n

    def __next__(self) -> int:
        if not self._left:
            raise StopIteration
        self._left -= 1
        first, second = self._pair
        self._pair = second, first + second
        return first
