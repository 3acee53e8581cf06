"""Run coroutines on virtual time; call hand-made loops where they may not block.

``run()`` executes a coroutine on a fresh event loop whose clock jumps straight to the
next timer (the ``looptime`` library), in a worker thread of its own. Ten concurrent
``asyncio.sleep(2)`` calls take 2.0 virtual seconds and a few milliseconds of real time,
on a quiet laptop or a loaded CI runner alike.

Virtual time is for code that waits on timers and futures. Threads and real I/O do not mix
with it: while the loop waits only for a socket or another thread, nothing tells looptime
that time should stand still, so the clock jumps to the next timer (at worst the run's own
``virtual_limit``) long before the answer arrives. (Futures of ``loop.run_in_executor`` and
``asyncio.to_thread`` are the exception: while one is pending, looptime lets the clock
follow the real one, roughly.) ``run(main, virtual=False)`` runs such code on an ordinary
loop, with the same guards; check threads with handshakes and counters, not durations.

``call()`` runs a plain function, such as a hand-written event loop's ``run()``, under the
same guards: ``time.sleep`` raises, and a call still busy after a few real seconds is
stopped. The worker thread makes both work everywhere: from plain Python, from pytest, and
from a Jupyter kernel whose own loop is already running (with or without ``nest_asyncio2``).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import inspect
import logging
import threading
import traceback
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
    logs: list[str] = field(default_factory=list)


def run(
    main: Awaitable[Any] | Callable[..., Awaitable[Any]],
    *args: Any,
    virtual_limit: float = VIRTUAL_LIMIT,
    wall_limit: float = WALL_LIMIT,
    virtual: bool = True,
    debug: bool = False,
    **kwargs: Any,
) -> Run:
    """Run ``main`` (an awaitable, or a coroutine function called with ``args``) on virtual time.

    With ``virtual=False`` the loop is an ordinary one on the real clock (``Run.elapsed`` is
    then real seconds, and ``virtual_limit`` does not apply), for code that waits on
    threads. ``debug=True`` runs the loop in asyncio's debug mode, in which calling a
    loop method that is not thread-safe from another thread raises ``RuntimeError``.

    Returns a :class:`Run`. Exceptions raised by ``main`` come back as themselves.
    ``Run.pending`` names the tasks still pending when ``main`` finished (they are then
    cancelled, as ``asyncio.run`` does); ``Run.loop_errors`` holds what the loop's exception
    handler would otherwise have logged to stderr ("Task exception was never retrieved").
    ``Run.logs`` holds the log records (``"LEVEL name: message"``) that the code on the loop
    emitted and that no configured handler took: Python would have printed them to stderr.
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

    loops: list[asyncio.AbstractEventLoop] = []
    logs: list[str] = []
    new_loop = (lambda: looptime.new_event_loop(start=0.0)) if virtual else asyncio.new_event_loop
    return _bounded(
        _run_on_loop,
        (new_loop, awaitable, virtual_limit if virtual else None, debug, loops, logs),
        logs=logs,
        wall_limit=wall_limit,
        sleep_hint="blocks the event loop and every task on it; "
        "use 'await asyncio.sleep({seconds!r})'",
        busy_hint="something keeps the event loop busy: time.sleep(), a busy loop, or a "
        "loop that only awaits asyncio.sleep(0) and never lets time pass",
        on_timeout=lambda: loops and _stop_loop(loops[0]),
    )


def call(
    func: Callable[..., Any],
    *args: Any,
    wall_limit: float = WALL_LIMIT,
    sleep_hint: str = "blocks a call that must not wait: virtual time never really sleeps",
    busy_hint: str = "it must not wait in real time",
    **kwargs: Any,
) -> Any:
    """Call a plain function that must not block, such as a hand-made loop's ``run()``.

    Like :func:`run`, it works in a worker thread where ``time.sleep`` raises
    :class:`BlockingCallError`, and after ``wall_limit`` real seconds the call is stopped
    and :class:`BlockedLoopError` raised. The hints finish those two messages
    (``{seconds!r}`` in ``sleep_hint`` is the argument given to ``time.sleep``).
    """
    return _bounded(
        func, args, kwargs, wall_limit=wall_limit, sleep_hint=sleep_hint, busy_hint=busy_hint
    )


def _bounded(
    func: Callable[..., Any],
    args: tuple,
    kwargs: dict | None = None,
    *,
    wall_limit: float,
    sleep_hint: str,
    busy_hint: str,
    on_timeout: Callable[[], object] = lambda: None,
    logs: list[str] | None = None,
) -> Any:
    """Call ``func`` in a worker thread where ``time.sleep`` raises; stop it after ``wall_limit``.

    With a ``logs`` list, log records of the worker that would go to stderr go there instead.
    """
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["result"] = func(*args, **(kwargs or {}))
        except _Abandoned:
            pass  # the caller has given up on this call
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="autograder-worker", daemon=True)
    with _refuse_sleep_in(worker, sleep_hint), _keep_logs_of(worker, logs):
        worker.start()
        worker.join(wall_limit)
    if worker.is_alive():
        on_timeout()
        _raise_into(worker)
        raise BlockedLoopError(f"still running after {wall_limit:g} s of real time: {busy_hint}")
    if "error" in outcome:
        # Let go of the finished frames' locals now: what they hold (say, coroutines a wrong
        # answer created and never awaited) is finalized, and warns, in the failing cell,
        # instead of whenever IPython drops this exception in some later cell.
        traceback.clear_frames(outcome["error"].__traceback__)
        raise outcome["error"]
    return outcome["result"]


def _run_on_loop(
    new_loop: Callable[[], asyncio.AbstractEventLoop],
    awaitable: Awaitable[Any],
    virtual_limit: float | None,
    debug: bool,
    loops: list[asyncio.AbstractEventLoop],
    logs: list[str],
) -> Run:
    loop = new_loop()
    loop.set_debug(debug)
    loops.append(loop)
    loop_errors: list[str] = []
    loop.set_exception_handler(lambda _loop, context: loop_errors.append(_describe(context)))
    asyncio.set_event_loop(loop)
    try:
        run = loop.run_until_complete(_timed(awaitable, virtual_limit, loop_errors, logs))
        _cleanup(loop)
        return run
    except _Abandoned:
        raise  # the caller has given up on this run: leave without another try at cleanup
    except BaseException:
        with contextlib.suppress(_Abandoned):
            _cleanup(loop)
        raise
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def _cleanup(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel the tasks left behind, finish async generators and the default executor's
    threads, as ``asyncio.run`` does."""
    tasks = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        # Bounded in virtual time: a task that swallows CancelledError must not hang us.
        loop.run_until_complete(asyncio.wait(tasks, timeout=CLEANUP_LIMIT))
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.run_until_complete(loop.shutdown_default_executor())


async def _timed(
    awaitable: Awaitable[Any], virtual_limit: float | None, loop_errors: list[str], logs: list[str]
) -> Run:
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        async with asyncio.timeout(virtual_limit):
            result = await awaitable
    except TimeoutError:
        if virtual_limit is not None and loop.time() - start >= virtual_limit:
            raise VirtualTimeLimitError(
                f"still running after {virtual_limit:g} virtual seconds"
            ) from None
        raise
    elapsed = loop.time() - start
    me = asyncio.current_task()
    pending = sorted(task.get_name() for task in asyncio.all_tasks() if task is not me)
    return Run(result, round(elapsed, 6), pending, loop_errors, logs)


class _Abandoned(BaseException):
    """Raised inside a runaway worker thread so that it stops using the CPU."""


def _stop_loop(loop: asyncio.AbstractEventLoop) -> None:
    """``loop.stop()`` from another thread ends a loop cycling through ``asyncio.sleep(0)``."""
    with contextlib.suppress(RuntimeError):  # the loop may have closed meanwhile
        loop.call_soon_threadsafe(loop.stop)


def _raise_into(worker: threading.Thread) -> None:
    """Stop a runaway worker: a thread cannot be killed, but an exception raised into it
    asynchronously ends pure Python loops (``while True: pass``). Without this the thread
    would go on competing for the CPU with every cell after it."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(worker.ident), ctypes.py_object(_Abandoned)
    )
    worker.join(STOP_GRACE)


def _describe(context: dict[str, Any]) -> str:
    exception = context.get("exception")
    message = context.get("message", "")
    return f"{message}: {exception!r}" if exception else message


_real_sleep = time.sleep
_sleep_hints: dict[threading.Thread, str] = {}  # guarded workers and what to tell them
_guard_lock = threading.Lock()


def _guarded_sleep(seconds: float) -> None:
    hint = _sleep_hints.get(threading.current_thread())
    if hint is not None:
        raise BlockingCallError(f"time.sleep({seconds!r}) " + hint.format(seconds=seconds))
    _real_sleep(seconds)


@contextlib.contextmanager
def _refuse_sleep_in(worker: threading.Thread, hint: str):
    """While ``worker`` is watched, ``time.sleep`` called in it raises."""
    with _guard_lock:
        _sleep_hints[worker] = hint
        time.sleep = _guarded_sleep
    try:
        yield
    finally:
        with _guard_lock:
            del _sleep_hints[worker]
            if not _sleep_hints:
                time.sleep = _real_sleep


class _LastResort(logging.Handler):
    """Stands in for ``logging.lastResort``, which prints records nobody handles to stderr.

    Records emitted on a watched worker thread go to that worker's list (logging calls
    handlers on the emitting thread); the others go to the original last resort, as before.
    """

    def __init__(self, original: logging.Handler) -> None:
        super().__init__(original.level)
        self.original = original

    def handle(self, record: logging.LogRecord) -> bool:
        sink = _log_sinks.get(threading.current_thread())
        if sink is None:
            return self.original.handle(record)
        sink.append(f"{record.levelname} {record.name}: {record.getMessage()}")
        return True


_log_sinks: dict[threading.Thread, list[str]] = {}  # watched workers and where their records go


@contextlib.contextmanager
def _keep_logs_of(worker: threading.Thread, logs: list[str] | None):
    """While the block runs, records of ``worker`` that would reach stderr go to ``logs``."""
    if logs is None:
        yield
        return
    with _guard_lock:
        if not _log_sinks and logging.lastResort is not None:
            logging.lastResort = _LastResort(logging.lastResort)
        _log_sinks[worker] = logs
    try:
        yield
    finally:
        with _guard_lock:
            del _log_sinks[worker]
            if not _log_sinks and isinstance(logging.lastResort, _LastResort):
                logging.lastResort = logging.lastResort.original
