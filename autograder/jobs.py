"""Drive a ``JobRunner`` class (chapter 12's exercise) and note what it did, for the checks.

Each helper takes the class under test first, makes the runner inside the coroutine it runs
(so ``__init__`` and ``__aenter__`` may create asyncio objects), and returns plain data that
the checks compare: what each future got and when, when the block was left, progress counts.
Run them with :func:`autograder.vtime.run`, e.g. ``vtime.run(submit_all, JobRunner, svc, "abc",
workers=2)``. The jobs are calls of an :class:`autograder.probes.Service` (``svc(key)``),
which records every attempt, or :func:`stubborn`, a job that takes 1 s to clean up when
cancelled.

Loop times come back rounded to the microsecond, the virtual clock's own resolution, so an
end instant can be compared exactly; :func:`starts` rounds to the millisecond.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Hashable, Iterable
from typing import Any

from autograder.probes import Service, leaves

#: Decimals that loop times are rounded to: looptime's clock counts microseconds.
DIGITS = 6


class BlockError(Exception):
    """The exception the checks raise inside an ``async with JobRunner(...)`` block."""


def _now() -> float:
    return round(asyncio.get_running_loop().time(), DIGITS)


def submitted(runner: Any, job: Callable[..., Awaitable[Any]], *args: Any) -> asyncio.Future:
    """``runner.submit(job, *args)``, checked: it must return an ``asyncio.Future`` at once."""
    __tracebackhide__ = True
    future = runner.submit(job, *args)
    if not isinstance(future, asyncio.Future):
        if inspect.iscoroutine(future):
            future.close()  # never awaited: close it quietly
        raise AssertionError(f"submit must be a plain method returning an asyncio.Future, got {future!r}")
    return future


def settled(future: asyncio.Future) -> Any:
    """What became of a future: its result, its exception, ``"cancelled"`` or ``"pending"``."""
    if not future.done():
        return "pending"
    if future.cancelled():
        return "cancelled"
    error = future.exception()
    return future.result() if error is None else error


async def submit_all(runner_class: type, svc: Service, keys: Iterable[Hashable], *,
                     later: Iterable[Hashable] = (), at: float = 0.5, stay: float = 0,
                     linger: float = 0, **settings: Any) -> tuple[float, dict[Hashable, tuple[Any, float]]]:
    """Submits ``svc(key)`` for each key to ``runner_class(**settings)``, and for each key in
    ``later`` at loop time ``at``; leaves the block at loop time ``stay`` (or as soon as it has
    submitted them all), then lets the loop go on for ``linger`` seconds. Returns ``(loop time
    the block was left, {key: (what its future got, loop time it got it)})``."""
    __tracebackhide__ = True
    resolved: dict[Hashable, float] = {}
    futures: dict[Hashable, asyncio.Future] = {}
    later = list(later)
    async with runner_class(**settings) as runner:
        for wave in (list(keys), later):
            if wave is later and later:
                await asyncio.sleep(at - _now())
            for key in wave:
                futures[key] = future = submitted(runner, svc, key)
                future.add_done_callback(lambda _, key=key: resolved.setdefault(key, _now()))
        if stay:
            await asyncio.sleep(stay - _now())
    left = _now()
    got = {key: (settled(future), resolved.get(key, left)) for key, future in futures.items()}
    if linger:
        await asyncio.sleep(linger)
    return left, got


async def submit_in_waves(runner_class: type, svc: Service, waves: Iterable[Iterable[Hashable]],
                          *, every: float = 0.5, **settings: Any) -> None:
    """Submits ``svc(key)`` for the keys of each wave, a wave every ``every`` seconds."""
    __tracebackhide__ = True
    async with runner_class(**settings) as runner:
        for wave in waves:
            for key in wave:
                submitted(runner, svc, key)
            await asyncio.sleep(every)


def starts(svc: Service, key: Hashable | None = None) -> list[float]:
    """Start times of the service's calls (of one key), in the order they started, to the millisecond."""
    return [round(call.start, 3) for call in svc.calls if key in (None, call.key)]


def spans(svc: Service, key: Hashable | None = None) -> list[tuple[float, float | None]]:
    """``(start, end)`` of the service's calls (of one key), to the millisecond."""
    return [(round(call.start, 3), None if call.end is None else round(call.end, 3))
            for call in svc.calls if key in (None, call.key)]


async def progress_at(runner_class: type, moments: Iterable[float], svc: Service,
                      keys: Iterable[Hashable], **settings: Any) -> dict[float, tuple]:
    """Submits ``svc(key)`` for each key to ``runner_class(**settings)``; notes
    ``runner.progress()`` at each loop time in ``moments`` as ``{moment: (queued, running,
    retrying, done, failed)}``, read by field name."""
    __tracebackhide__ = True
    seen = {}
    async with runner_class(**settings) as runner:
        for key in keys:
            submitted(runner, svc, key)
        for moment in moments:
            await asyncio.sleep(moment - _now())
            now = runner.progress()
            seen[moment] = (now.queued, now.running, now.retrying, now.done, now.failed)
    return seen


async def first_progress(runner_class: type, workers: int = 2) -> Any:
    """What ``progress()`` returns in a new runner's block, before any submit."""
    __tracebackhide__ = True
    async with runner_class(workers) as runner:
        return runner.progress()


async def stubborn(seconds: float, cleanup: float = 1) -> str:
    """A job that runs for ``seconds`` and, when cancelled, takes ``cleanup`` seconds to clean up."""
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        await asyncio.sleep(cleanup)
        raise
    return "stubborn"


def not_stopped(svc: Service, when: float) -> list[tuple[Hashable, str, float | None]]:
    """The calls of ``svc`` as ``(key, outcome, end)`` still running after loop time ``when``, or
    that ended then without being cancelled."""
    def stopped(call):
        end = None if call.end is None else round(call.end, 3)
        return end is not None and (end < when or end == when and call.outcome == "cancelled")

    return [(call.key, call.outcome, call.end) for call in svc.calls if not stopped(call)]


def started_after(svc: Service, when: float) -> list[tuple[Hashable, float]]:
    """``(key, start)`` of the calls of ``svc`` that started after loop time ``when``."""
    return [(call.key, round(call.start, 3)) for call in svc.calls if round(call.start, 3) > when]


async def shut_down(runner_class: type, how: str, when: float, jobs: Iterable[tuple[Callable, ...]],
                    *, linger: float = 0, **settings: Any) -> tuple[float, list[Any], Any]:
    """Submits ``job(*args)`` for each ``(job, *args)`` in ``jobs`` to ``runner_class(**settings)``,
    then ends it at loop time ``when``: ``"aclose"`` awaits ``runner.aclose()`` in the block,
    ``"error"`` raises :class:`BlockError` in the block, ``"cancel"`` cancels the task running
    the block while the block waits, and ``"cancel-exit"`` cancels it while it leaves the block
    (the block ends right after submitting). Then the loop goes on for ``linger`` seconds, so
    that whatever the runner left scheduled gets the time to run.

    Returns ``(loop time aclose() returned or the task ended, what each future got, how the
    task ended: "returned", "cancelled" or the exception that came out of the block)``.
    """
    __tracebackhide__ = True
    futures: list[asyncio.Future] = []
    closed_at: list[float] = []

    async def use_runner():
        async with runner_class(**settings) as runner:
            futures.extend(submitted(runner, job, *args) for job, *args in jobs)
            if how == "cancel":
                await asyncio.sleep(when + 1000)  # cancelled meanwhile
            elif how in ("aclose", "error"):
                await asyncio.sleep(when)
                if how == "error":
                    raise BlockError("raised in the block")
                await runner.aclose()
                closed_at.append(_now())

    task = asyncio.create_task(use_runner())
    if how.startswith("cancel"):
        await asyncio.sleep(when)
        task.cancel()
    await asyncio.wait([task])
    over = (closed_at or [_now()])[0]
    ended = "cancelled" if task.cancelled() else task.exception() or "returned"
    got = [settled(future) for future in futures]
    if linger:
        await asyncio.sleep(linger)
    return over, got, ended


async def submit_after_block(runner_class: type, svc: Service, error: bool) -> str:
    """Submits a job in a runner's block and leaves it (normally, or by an exception when
    ``error``), then calls ``runner.submit(svc, "after")``; says what happened:
    ``"RuntimeError"`` or what else. A submit that fails inside the block fails this too."""
    __tracebackhide__ = True
    try:
        async with runner_class(2) as runner:
            submitted(runner, svc, "inside")
            if error:
                raise BlockError("raised in the block")
    except Exception as exc:  # BlockError, alone or in a group, is expected; anything else is not
        if not any(isinstance(leaf, BlockError) for leaf in leaves(exc)):
            raise
    try:
        future = runner.submit(svc, "after")
    except RuntimeError:
        return "RuntimeError"
    except Exception as other:  # noqa: BLE001 - said in the check's message
        return f"{type(other).__name__}: {other}"
    if inspect.iscoroutine(future):
        future.close()
    elif isinstance(future, asyncio.Future):
        future.cancel()
    return f"no exception; submit returned {future!r}"


def late(what: str, at: float, due: float) -> str:
    """What to say when ``what`` happened at loop time ``at`` instead of ``due``, the instant the
    last job was over: too late asks "are you polling?"."""
    if at > due:
        return (f"{what} at {at:g} s, {at - due:.6g} s late: the last job was over at {due:g} s. "
                "Are you polling? Wait for the jobs themselves (their futures, asyncio.wait, an "
                "Event), not in a loop that sleeps and checks again")
    return f"{what} at {at:g} s, before the last job was over ({due:g} s)"
