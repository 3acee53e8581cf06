"""Work for thread and process pool demos: importable, so process pools can run it.

A process pool started with ``spawn`` or ``forkserver`` (the default on Linux since Python
3.14, ``spawn`` on macOS and Windows) sends each task to a fresh interpreter by pickling a
reference to the function: a function defined in a notebook cell (``__main__``) cannot be
found there. Functions of an installed module can.
"""

from __future__ import annotations

import time


def count_primes(limit: int) -> int:
    """How many primes are below ``limit``, by trial division: pure-Python CPU work."""
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n**0.5) + 1)):
            count += 1
    return count


def wait_io(seconds: float, value: object = None) -> object:
    """Block for ``seconds`` as a network or disk call would, then return ``value``."""
    time.sleep(seconds)
    return value
