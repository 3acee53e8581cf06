"""Time one job done several ways, and draw the times as bars (lesson 12's measurements).

``await measure(ways)`` runs each way of doing the same job (a plain function, or a
coroutine function whose coroutine it awaits) a few times, the ways taking turns, keeps the
best wall time of each with the CPU time this process used in that run (a :class:`Timing`),
and checks that every way returned the same result, so that no way "wins" by skipping the
work. ``speedups(times)`` divides the first way's wall time by each way's; ``bars({...})``
draws one panel of bars per job, each bar labelled with its time and its speed-up.

This is a measurement, not a test: it runs on the real clock, and the numbers belong to the
machine that produced them. ``conditions()`` says what they depend on (the CPUs this process
may use, the load of the machine); ``warm(pool, workers)`` starts every worker of a process
pool before the clock does, so only the work is timed.
"""

from __future__ import annotations

import concurrent.futures
import inspect
import os
import time
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from matplotlib.figure import Figure

from autograder import work

#: Bar colours by the way's first word, the same in every panel.
COLORS = {"one": "tab:gray", "threads": "tab:blue", "processes": "tab:orange", "asyncio": "tab:green"}
MIXED = "tab:purple"  # "asyncio + processes" and any other way


class Timing(NamedTuple):
    """One way's best run: its wall time, and the CPU time this process used meanwhile (all
    its threads; not the work of other processes, such as a process pool's workers)."""

    wall: float
    cpu: float


async def measure(ways: Mapping[str, Callable[[], Any]], *, repeat: int = 5) -> dict[str, Timing]:
    """``{name: Timing(best wall time, CPU time of that run)}`` in seconds, in the order given.

    Each way is called with no arguments; when it returns an awaitable (a coroutine
    function's coroutine), that is awaited inside the timing. The ways take turns, ``repeat``
    rounds of one run each, so a burst of load from another program slows one run of every
    way rather than all runs of one; the best run of each way is kept. Every way must return
    the same result as the first one, or ``ValueError`` says which differs.
    """
    best = dict.fromkeys(ways, Timing(float("inf"), 0.0))
    results: dict[str, Any] = {}
    for _ in range(repeat):
        for name, way in ways.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            result = way()
            if inspect.isawaitable(result):
                result = await result
            run = Timing(time.perf_counter() - start, time.process_time() - start_cpu)
            best[name] = min(best[name], run)
            results[name] = result
    expected = next(iter(results.values()), None)
    for name, result in results.items():
        if result != expected:
            raise ValueError(f"{name!r} returned {result!r}, the first way {expected!r}")
    return best


def _wall(seconds: Timing | float) -> float:
    return seconds.wall if isinstance(seconds, Timing) else seconds


def speedups(times: Mapping[str, Timing | float]) -> dict[str, float]:
    """``{name: first way's wall time / this way's}``: 2.0 means twice as fast."""
    baseline = _wall(next(iter(times.values())))
    return {name: baseline / _wall(seconds) for name, seconds in times.items()}


def usable_cpus() -> int:
    """The CPUs this process may run on: ``os.process_cpu_count()`` (3.13+), else its CPU
    affinity where the system has one, else ``os.cpu_count()``."""
    if hasattr(os, "process_cpu_count"):
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def load() -> float | None:
    """The machine's load: the average number of runnable processes over the last minute
    (``os.getloadavg()``), or ``None`` where the system does not say (Windows)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def conditions() -> str:
    """What a measurement here depends on, in a few words: "2 usable CPUs, load 6.6"."""
    cpus, now = usable_cpus(), load()
    text = f"{cpus} usable CPU{'s' if cpus != 1 else ''}"
    return text if now is None else f"{text}, load {now:.1f}"


def busy() -> bool:
    """More runnable processes than usable CPUs: other programs take turns with ours."""
    now = load()
    return now is not None and now > usable_cpus()


def table(times: Mapping[str, Timing]) -> str:
    """One line per way: its wall time, the CPU time this process used and how many of its
    CPUs that kept busy on average (CPU time / wall time), and its speed-up."""
    width = max(map(len, times), default=0)
    return "\n".join(f"{way:<{width}}  {t.wall * 1000:5.0f} ms wall  {t.cpu * 1000:5.0f} ms CPU here "
                     f"({t.cpu / t.wall:.1f} CPU busy)  speed-up ×{x:.1f}"
                     for (way, t), x in zip(times.items(), speedups(times).values()))


def warm(pool: concurrent.futures.Executor, workers: int) -> None:
    """Make ``pool`` start ``workers`` workers now: as many short waits at once."""
    list(pool.map(work.wait_io, [0.05] * workers))


def _color(way: str) -> str:
    return MIXED if " + " in way else COLORS.get(way.split()[0], MIXED)


def bars(panels: Mapping[str, Mapping[str, float]], *, title: str = "") -> Figure:
    """One panel per job (``{job: {way: Timing or seconds}}``), one bar per way: its wall time
    in milliseconds, labelled with that time and its speed-up over the panel's first way."""
    fig = Figure(figsize=(5.2 * len(panels), 3.6), layout="constrained")
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, (job, times) in zip(axes, panels.items()):
        names = list(times)
        ms = [_wall(seconds) * 1000 for seconds in times.values()]
        drawn = ax.bar(range(len(names)), ms, color=[_color(name) for name in names])
        labels = [f"{m:.0f} ms\n×{s:.1f}" for m, s in zip(ms, speedups(times).values())]
        ax.bar_label(drawn, labels, fontsize="small", padding=2)
        ax.set_xticks(range(len(names)), [n.replace(" + ", "\n+ ") for n in names], fontsize="small")
        ax.set_ylim(0, max(ms) * 1.3)
        ax.set_ylabel("best wall time (ms)")
        ax.set_title(job)
    if title:
        fig.suptitle(title)
    return fig
