# Right: a frozen dataclass with slots; __iter__ returns a new reversed range each time.
# Expected: 4
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Countdown:
    start: int

    def __iter__(self):
        return reversed(range(1, self.start + 1))
