"""Code that uses an answer the way its exercise says, on virtual time, and reports what it saw.

The checks of chapter 09 run these with :func:`autograder.vtime.run`; each makes the answer's
objects inside the run, so they may create asyncio objects in ``__init__``:

- :func:`ask_cached` sends ``get`` requests to a cache class at set moments;
- :func:`jobs` turns keys into coroutine functions for a concurrency limiter;
- :func:`stop_early` leaves an async generator after a few values, with ``aclose()`` or
  with ``break`` inside ``contextlib.aclosing``;
- :func:`ticker_hint` explains the one way a ticker can be right on a real clock and late on
  virtual time: reading a clock other than the loop's.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Iterable, Sequence
from typing import Any

from autograder.probes import outcome


async def ask_cached(
    fetcher_class: Callable[[Any], Any], fetch: Callable[[Any], Awaitable[Any]],
    requests: Sequence[tuple[Hashable, float]],
) -> list[tuple[Any, float]]:
    """Make one ``fetcher_class(fetch)``; each ``(url, delay)`` of ``requests`` calls
    ``get(url)`` in a task of its own, ``delay`` seconds after the start.

    Returns ``(result, loop time it came back)`` for each request, in order, the time rounded
    to the microsecond (the virtual clock's tick); an exception that ``get`` raised stands
    for its result.
    """
    __tracebackhide__ = True
    fetcher = fetcher_class(fetch)

    async def ask(url: Hashable, delay: float) -> tuple[Any, float]:
        __tracebackhide__ = True
        await asyncio.sleep(delay)
        result, when = await outcome(fetcher.get(url))
        return result, round(when, 6)

    return list(await asyncio.gather(*(ask(url, delay) for url, delay in requests)))


def jobs(service: Callable[[Hashable], Awaitable[Any]], keys: Iterable[Hashable]) -> list[Callable[[], Awaitable[Any]]]:
    """One coroutine function per key, taking no arguments: calling it awaits ``service(key)``."""

    def job_for(key: Hashable) -> Callable[[], Awaitable[Any]]:
        async def job() -> Any:
            return await service(key)
        job.__qualname__ = f"job({key!r})"
        return job

    return [job_for(key) for key in keys]


async def stop_early(gen: AsyncIterator[Any], count: int, how: str) -> tuple[list[Any], str]:
    """Take ``count`` values from the async generator ``gen``, then close it: ``how`` is
    ``"aclose"`` (two ``anext()`` calls, then ``await gen.aclose()``) or ``"aclosing"``
    (``break`` inside ``async with contextlib.aclosing(gen)``).

    Returns the values taken and ``"stopped"`` if the next ``anext(gen)`` raised
    ``StopAsyncIteration``, ``"still running"`` if it gave a value.
    """
    __tracebackhide__ = True
    if inspect.iscoroutine(gen):
        gen.close()  # never awaited: closing it avoids a "never awaited" warning
        raise TypeError("expected an async generator (an 'async def' with 'yield'), got a coroutine")
    got: list[Any] = []
    if how == "aclosing":
        async with contextlib.aclosing(gen) as values:
            async for value in values:
                got.append(value)
                if len(got) == count:
                    break
    elif how == "aclose":
        for _ in range(count):
            got.append(await anext(gen))
        await gen.aclose()
    else:
        raise ValueError(f"how must be 'aclose' or 'aclosing', not {how!r}")
    try:
        await anext(gen)
    except StopAsyncIteration:
        return got, "stopped"
    return got, "still running"


def ticker_hint(arrived: Sequence[tuple[float, Any]], interval: float) -> str:
    """A sentence for a ticker whose first value came on time and later ones later and later:
    each sleep was too long, as when the deadlines come from ``time.monotonic()`` or
    ``time.time()``, which virtual time does not move. ``""`` for any other pattern."""
    times = [when for when, _value in arrived]
    # Roughly: a real clock moves a little while the run takes real time.
    if len(times) < 2 or not 0.95 * interval <= times[0] <= 1.05 * interval:
        return ""
    if not all(b - a > 1.05 * interval for a, b in zip(times, times[1:])):
        return ""
    return (" The first value came about on time and each later one later still: every sleep after "
            "the first was too long. If the ticker computes its deadlines, it must read the "
            "loop's clock, asyncio.get_running_loop().time(): the checks run on virtual time, "
            "which moves only the loop's clock, while time.monotonic() and time.time() barely move.")
