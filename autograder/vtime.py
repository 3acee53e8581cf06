"""Run coroutines on virtual time.

``run()`` executes a coroutine on a fresh event loop whose clock jumps straight to the
next timer (the ``looptime`` library), in a worker thread of its own. Ten concurrent
``asyncio.sleep(2)`` calls take 2.0 virtual seconds and a few milliseconds of real time,
on a quiet laptop or a loaded CI runner alike.

The worker thread makes it work everywhere: from plain Python, from pytest, and from a
Jupyter kernel whose own loop is already running (with or without ``nest_asyncio``).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import inspect
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import looptime

#: Virtual seconds after which a run is stopped: far beyond any exercise, so only
#: runaway code (a task that sleeps in a loop forever) reaches it.
VIRTUAL_LIMIT = 24 * 3600.0

#: Real seconds to wait for a run. Only code that blocks the loop (``time.sleep``, a busy
#: loop, ``while True`` without ``await``) gets near it: virtual time costs nothing.
WALL_LIMIT = 5.0


#: Real seconds a runaway run gets to stop after it was told to.
STOP_GRACE = 1.0

#: Virtual seconds that leftover tasks get to finish after being cancelled.
CLEANUP_LIMIT = 60.0


class BlockingCallError(RuntimeError):
    """``time.sleep()`` was called on a virtual-time loop, where it freezes every task."""


class BlockedLoopError(TimeoutError):
    """The run did not finish in real time: something blocks the event loop."""


class VirtualTimeLimitError(TimeoutError):
    """The run was still going when its virtual deadline came."""


@dataclass(frozen=True)
class Run:
    """What ``run()`` saw: the result, the virtual time it took, what was left over."""

    result: Any
    elapsed: float
    pending: list[str] = field(default_factory=list)
    loop_errors: list[str] = field(default_factory=list)


def run(
    main: Awaitable[Any] | Callable[..., Awaitable[Any]],
    *args: Any,
    virtual_limit: float = VIRTUAL_LIMIT,
    wall_limit: float = WALL_LIMIT,
    **kwargs: Any,
) -> Run:
    """Run ``main`` (an awaitable, or a coroutine function called with ``args``) on virtual time.

    Returns a :class:`Run`. Exceptions raised by ``main`` come back as themselves.
    ``Run.pending`` names the tasks still pending when ``main`` finished (they are then
    cancelled, as ``asyncio.run`` does); ``Run.loop_errors`` holds what the loop's exception
    handler would otherwise have logged to stderr ("Task exception was never retrieved").
    """
    if callable(main) and not inspect.isawaitable(main):
        awaitable = main(*args, **kwargs)
    elif args or kwargs:
        if inspect.iscoroutine(main):
            main.close()  # never started: closing it avoids a "never awaited" warning
        raise TypeError("arguments are only accepted together with a coroutine function")
    else:
        awaitable = main
    if not inspect.isawaitable(awaitable):
        raise TypeError(f"expected a coroutine or a coroutine function, got {awaitable!r}")

    outcome: dict[str, Any] = {}
    worker = threading.Thread(
        target=_run_in_thread,
        args=(awaitable, virtual_limit, outcome),
        name="autograder-vtime",
        daemon=True,
    )
    with _refuse_blocking_sleep():
        worker.start()
        worker.join(wall_limit)
    if worker.is_alive():
        _stop(worker, outcome.get("loop"))
        raise BlockedLoopError(
            f"still running after {wall_limit:g} s of real time. Virtual time costs nothing, "
            "so something keeps the event loop busy: time.sleep(), a busy loop, or a loop "
            "that only awaits asyncio.sleep(0) and never lets time pass."
        )
    if "error" in outcome:
        raise outcome["error"]
    return outcome["run"]


def _run_in_thread(awaitable: Awaitable[Any], virtual_limit: float, outcome: dict) -> None:
    loop = outcome["loop"] = looptime.new_event_loop(start=0.0)
    loop_errors: list[str] = []
    loop.set_exception_handler(lambda _loop, context: loop_errors.append(_describe(context)))
    asyncio.set_event_loop(loop)
    try:
        outcome["run"] = loop.run_until_complete(_timed(awaitable, virtual_limit, loop_errors))
        _cleanup(loop)
    except _Abandoned:
        pass  # the caller has given up on this run: leave without another try at cleanup
    except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread
        outcome["error"] = exc
        with contextlib.suppress(_Abandoned):
            _cleanup(loop)
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def _cleanup(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel the tasks left behind and finish async generators, as ``asyncio.run`` does."""
    tasks = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        # Bounded in virtual time: a task that swallows CancelledError must not hang us.
        loop.run_until_complete(asyncio.wait(tasks, timeout=CLEANUP_LIMIT))
    loop.run_until_complete(loop.shutdown_asyncgens())


async def _timed(awaitable: Awaitable[Any], virtual_limit: float, loop_errors: list[str]) -> Run:
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        async with asyncio.timeout(virtual_limit):
            result = await awaitable
    except TimeoutError:
        if loop.time() - start >= virtual_limit:
            raise VirtualTimeLimitError(
                f"still running after {virtual_limit:g} virtual seconds"
            ) from None
        raise
    elapsed = loop.time() - start
    me = asyncio.current_task()
    pending = sorted(task.get_name() for task in asyncio.all_tasks() if task is not me)
    return Run(result, round(elapsed, 6), pending, loop_errors)


class _Abandoned(BaseException):
    """Raised inside a runaway worker thread so that it stops using the CPU."""


def _stop(worker: threading.Thread, loop: asyncio.AbstractEventLoop | None) -> None:
    """Stop a runaway run: ask its loop to stop, and raise into its thread.

    A thread cannot be killed, but an exception raised into it asynchronously ends pure
    Python loops (``while True: pass``), and ``loop.stop()`` ends a loop that keeps
    cycling through ``await asyncio.sleep(0)``. Without this the abandoned thread would go
    on competing for the CPU with every cell after it.
    """
    if loop is not None:
        with contextlib.suppress(RuntimeError):  # the loop may have closed meanwhile
            loop.call_soon_threadsafe(loop.stop)
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(worker.ident), ctypes.py_object(_Abandoned)
    )
    worker.join(STOP_GRACE)


def _describe(context: dict[str, Any]) -> str:
    exception = context.get("exception")
    message = context.get("message", "")
    return f"{message}: {exception!r}" if exception else message


_real_sleep = time.sleep
_guards = 0
_guards_lock = threading.Lock()


def _guarded_sleep(seconds: float) -> None:
    if isinstance(asyncio._get_running_loop(), looptime.LoopTimeEventLoop):
        raise BlockingCallError(
            f"time.sleep({seconds!r}) blocks the event loop and every task on it; "
            f"use 'await asyncio.sleep({seconds!r})'"
        )
    _real_sleep(seconds)


@contextlib.contextmanager
def _refuse_blocking_sleep():
    """While any run is going, ``time.sleep`` on a virtual-time loop raises."""
    global _guards
    with _guards_lock:
        _guards += 1
        time.sleep = _guarded_sleep
    try:
        yield
    finally:
        with _guards_lock:
            _guards -= 1
            if not _guards:
                time.sleep = _real_sleep
