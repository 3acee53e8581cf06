"""Time one job done several ways, and draw the times as bars (lesson 12's measurements).

``await measure(ways)`` runs each way of doing the same job (a plain function, or a
coroutine function whose coroutine it awaits) a few times, the ways taking turns, keeps the
best wall time of each, and checks that every way returned the same result, so that no way
"wins" by skipping the work.
``speedups(times)`` divides the first way's time by each way's; ``bars({...})`` draws one
panel of bars per job, each bar labelled with its time and its speed-up.

This is a measurement, not a test: it runs on the real clock, and the numbers belong to the
machine (cores, load) that produced them. ``warm(pool, workers)`` starts every worker of a
process pool before the clock does, so only the work is timed.
"""

from __future__ import annotations

import concurrent.futures
import inspect
import time
from collections.abc import Callable, Mapping
from typing import Any

from matplotlib.figure import Figure

from autograder import work

#: Bar colours by the way's first word, the same in every panel.
COLORS = {"one": "tab:gray", "threads": "tab:blue", "processes": "tab:orange", "asyncio": "tab:green"}
MIXED = "tab:purple"  # "asyncio + processes" and any other way


async def measure(ways: Mapping[str, Callable[[], Any]], *, repeat: int = 5) -> dict[str, float]:
    """``{name: best wall time in seconds}`` for each way, in the order given.

    Each way is called with no arguments; when it returns an awaitable (a coroutine
    function's coroutine), that is awaited inside the timing. The ways take turns, ``repeat``
    rounds of one run each, so a burst of load from another program slows one run of every
    way rather than all runs of one; the best run of each way is kept. Every way must return
    the same result as the first one, or ``ValueError`` says which differs.
    """
    best = dict.fromkeys(ways, float("inf"))
    results: dict[str, Any] = {}
    for _ in range(repeat):
        for name, way in ways.items():
            start = time.perf_counter()
            result = way()
            if inspect.isawaitable(result):
                result = await result
            best[name] = min(best[name], time.perf_counter() - start)
            results[name] = result
    expected = next(iter(results.values()), None)
    for name, result in results.items():
        if result != expected:
            raise ValueError(f"{name!r} returned {result!r}, the first way {expected!r}")
    return best


def speedups(times: Mapping[str, float]) -> dict[str, float]:
    """``{name: first way's time / this way's time}``: 2.0 means twice as fast."""
    baseline = next(iter(times.values()))
    return {name: baseline / seconds for name, seconds in times.items()}


def warm(pool: concurrent.futures.Executor, workers: int) -> None:
    """Make ``pool`` start ``workers`` workers now: as many short waits at once."""
    list(pool.map(work.wait_io, [0.05] * workers))


def _color(way: str) -> str:
    return MIXED if " + " in way else COLORS.get(way.split()[0], MIXED)


def bars(panels: Mapping[str, Mapping[str, float]], *, title: str = "") -> Figure:
    """One panel per job (``{job: {way: seconds}}``), one bar per way, in milliseconds,
    each labelled with its time and its speed-up over the panel's first way."""
    fig = Figure(figsize=(5.2 * len(panels), 3.6), layout="constrained")
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, (job, times) in zip(axes, panels.items()):
        names = list(times)
        ms = [seconds * 1000 for seconds in times.values()]
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
