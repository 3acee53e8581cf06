"""Work for thread and process pool demos: importable, so process pools can run it.

A process pool started with ``spawn`` or ``forkserver`` (the default on Linux since Python
3.14, ``spawn`` on macOS and Windows) sends each task to a fresh interpreter by pickling a
reference to the function: a function defined in a notebook cell (``__main__``) cannot be
found there. Functions of an installed module can.

A measurement of CPU-bound work only means something next to the machine it ran on:
``cores_available()`` counts the cores this process may use (not the machine's), and
``conditions()`` says that and the load average in one line, to print beside the numbers.
"""

from __future__ import annotations

import os
import sys
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


def cores_available() -> int:
    """The CPU cores this process may run on: ``os.process_cpu_count()`` (3.13+), else the
    size of its affinity mask where the system has one, else ``os.cpu_count()``.

    A container or a ``taskset`` can give a process fewer cores than the machine has, and
    pools sized by ``os.cpu_count()`` then start more workers than can run at once. (A CPU
    quota, such as Docker's ``--cpus``, is not counted by any of them.)
    """
    if sys.version_info >= (3, 13):
        count = os.process_cpu_count()
    elif hasattr(os, "sched_getaffinity"):
        count = len(os.sched_getaffinity(0))
    else:
        count = os.cpu_count()
    return count or 1


def load_average() -> float | None:
    """The system's load average over the last minute (processes running or waiting for a
    core), or None where the system does not keep one (Windows)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def conditions() -> str:
    """One line on what a CPU-bound measurement ran on: cores available, and the load."""
    cores = cores_available()
    line = f"{cores} core{'s' if cores != 1 else ''} available to this process"
    if cores != os.cpu_count():
        line += f" (the machine has {os.cpu_count()})"
    load = load_average()
    if load is not None:
        line += f", load average {load:.1f} over the last minute"
        if load > cores:
            line += ": busier than its cores, so every process waits its turn"
    return line
