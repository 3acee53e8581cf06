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

What a learner sees when their code fails is their own line and the error: the functions here
carry ``__tracebackhide__`` (IPython leaves such frames out) and an error comes back with a
traceback that starts at the learner's code. A run stopped at its wall limit says whether the
loop was polling or blocked, and ends where it was; what it leaves is closed at once, so no
later cell prints about it. Log records of the code on the loop go to ``Run.logs``, never to
stderr.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import inspect
import io
import logging
import sys
import threading
import traceback
import time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import FrameType, TracebackType
from typing import Any


def _looptime():
    """looptime, imported without pytest where pytest is not loaded yet: looptime imports it
    only to offer a pytest fixture, and it is a third of the import of this module, in every
    kernel that uses it."""
    if "pytest" in sys.modules:
        import looptime
        return looptime
    sys.modules["pytest"] = None  # looptime's `import pytest` fails, and it goes without
    try:
        import looptime
        return looptime
    finally:
        del sys.modules["pytest"]


looptime = _looptime()

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

#: Timers after which a run still waking up for them when ``WALL_LIMIT`` comes is called
#: polling (``while not done: await asyncio.sleep(0.01)``) rather than a blocked loop.
POLLING_WAKEUPS = 100


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

    Returns a :class:`Run`. Exceptions raised by ``main`` come back as themselves, with a
    traceback that starts at the learner's code. ``Run.pending`` names the tasks still
    pending when ``main`` finished (they are then cancelled, as ``asyncio.run`` does);
    ``Run.loop_errors`` holds what the loop's exception handler would otherwise have logged
    to stderr ("Task exception was never retrieved"). ``Run.logs`` holds the log records
    (``"LEVEL name: message"``) that the code on the loop emitted, instead of any handler:
    none reaches stderr, and handlers that the code added to the root logger
    (``logging.basicConfig()``, which ``logging.warning()`` calls) are removed afterwards.
    """
    __tracebackhide__ = True  # IPython leaves the course's frames out of a learner's traceback
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
    wakeups = _Wakeups()
    new_loop = (lambda: looptime.new_event_loop(start=0.0)) if virtual else asyncio.new_event_loop
    return _bounded(
        _run_on_loop,
        (new_loop, awaitable, virtual_limit if virtual else None, debug, loops, logs, wakeups),
        logs=logs,
        wall_limit=wall_limit,
        sleep_hint="blocks the event loop and every task on it; "
        "use 'await asyncio.sleep({seconds!r})'",
        busy_hint=lambda running: _why_busy(wakeups, loops, wall_limit, awaitable, running),
        on_timeout=lambda: loops and _stop_loop(loops[0]),
        leftovers=lambda: _let_go(loops, awaitable),
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
    __tracebackhide__ = True
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
    busy_hint: str | Callable[[list[FrameType]], tuple[str, list[FrameType]]],
    on_timeout: Callable[[], object] = lambda: None,
    leftovers: Callable[[], object] = lambda: None,
    logs: list[str] | None = None,
) -> Any:
    """Call ``func`` in a worker thread where ``time.sleep`` raises; stop it after ``wall_limit``.

    With a ``logs`` list, log records of the worker go there instead of to any handler. On a
    timeout, ``busy_hint`` ends the message (a callable gets the learner's frames that the
    worker was running and returns the hint and the frames to show), ``on_timeout`` runs
    before the worker is stopped, and ``leftovers`` once it has stopped, with stderr silenced.
    The error's traceback ends at the learner's line where the run was busy or waiting.
    """
    __tracebackhide__ = True
    outcome: dict[str, Any] = {}

    def work() -> None:
        __tracebackhide__ = True
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
            running = _learners(_stack_of(worker))
            hint, frames = busy_hint(running) if callable(busy_hint) else (busy_hint, running)
            where = _traceback_of(frames)
            on_timeout()
            _raise_into(worker)
            if not worker.is_alive():
                # What the abandoned run left (its tasks' coroutines, stopped mid-way) would
                # otherwise be finalized in some later cell and write to stderr there.
                _quietly(leftovers)
                traceback.clear_frames(where)
            error = BlockedLoopError(f"still running after {wall_limit:g} s of real time: {hint}")
            raise error.with_traceback(where)
    if "error" in outcome:
        error = outcome.pop("error")
        error.__traceback__ = _learners_part(error.__traceback__)
        # Let go of the finished frames' locals now: what they hold (say, coroutines a wrong
        # answer created and never awaited) is finalized, and warns, in the failing cell,
        # instead of whenever IPython drops this exception in some later cell.
        traceback.clear_frames(error.__traceback__)
        raise error
    return outcome["result"]


def _run_on_loop(
    new_loop: Callable[[], asyncio.AbstractEventLoop],
    awaitable: Awaitable[Any],
    virtual_limit: float | None,
    debug: bool,
    loops: list[asyncio.AbstractEventLoop],
    logs: list[str],
    wakeups: _Wakeups,
) -> Run:
    __tracebackhide__ = True
    loop = new_loop()
    loop.set_debug(debug)
    wakeups.watch(loop)
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
    __tracebackhide__ = True
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
    __tracebackhide__ = True
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        async with asyncio.timeout(virtual_limit):
            result = await awaitable
    except TimeoutError as timeout:
        if virtual_limit is not None and loop.time() - start >= virtual_limit:
            # The cancellation went through the learner's frames: show where they waited.
            cancelled = timeout.__context__
            where = _traceback_of(_learners(_frames_of(cancelled.__traceback__ if cancelled else None)))
            raise VirtualTimeLimitError(
                f"still running after {virtual_limit:g} virtual seconds"
            ).with_traceback(where) from None
        raise
    elapsed = loop.time() - start
    me = asyncio.current_task()
    pending = sorted(task.get_name() for task in asyncio.all_tasks() if task is not me)
    return Run(result, round(elapsed, 6), pending, loop_errors, logs)


def _learners_part(tb: TracebackType | None) -> TracebackType | None:
    """``tb`` from the learner's first frame on: without the worker's frames and the event
    loop's under them at its start, nor a guard of this module that raised at its end."""
    entries = []
    while tb is not None:
        entries.append(tb)
        tb = tb.tb_next
    start = 0
    for index, entry in enumerate(entries):
        if not _is_machinery(entry.tb_frame):
            break
        if entry.tb_frame.f_globals is globals():
            start = index + 1
    end = len(entries)
    while end > start and entries[end - 1].tb_frame.f_globals is globals():
        end -= 1
    if start == end:
        return None
    entries[end - 1].tb_next = None
    return entries[start]


def _is_machinery(frame: FrameType) -> bool:
    module = frame.f_globals.get("__name__", "")
    return module == __name__ or module.partition(".")[0] in ("asyncio", "looptime")


def _learners(frames: list[FrameType]) -> list[FrameType]:
    """The frames that are neither this module's, the event loop's, nor a thread's own."""
    return [
        frame for frame in frames
        if not _is_machinery(frame)
        and frame.f_globals.get("__name__") not in ("threading", "selectors", "contextlib")
    ]


def _stack_of(thread: threading.Thread) -> list[FrameType]:
    """What ``thread`` is running now, outermost frame first."""
    frame = sys._current_frames().get(thread.ident)
    frames = []
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    return frames[::-1]


def _awaiting(awaitable: Any) -> list[FrameType]:
    """The frames of a coroutine and of what it awaits, down to where it is suspended; none
    from one that is running (its frames are on its thread's stack). What a running coroutine
    awaits is never asked: Python 3.11 and 3.12 answer by reading the running frame's value
    stack, which is not kept up to date while it runs, and that crashed the process once."""
    frames = []
    while not _running(awaitable) and (
            frame := getattr(awaitable, "cr_frame", None) or getattr(awaitable, "gi_frame", None)):
        frames.append(frame)
        awaitable = getattr(awaitable, "cr_await", None) or getattr(awaitable, "gi_yieldfrom", None)
    return frames


def _running(awaitable: Any) -> bool:
    return bool(getattr(awaitable, "cr_running", False) or getattr(awaitable, "gi_running", False))


def _frames_of(tb: TracebackType | None) -> list[FrameType]:
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    return frames


def _traceback_of(frames: list[FrameType]) -> TracebackType | None:
    """A traceback through ``frames`` (outermost first), each at the line it is at now."""
    tb = None
    for frame in reversed(frames):
        tb = TracebackType(tb, frame, frame.f_lasti, frame.f_lineno)
    return tb


class _Wakeups:
    """Counts the timers a loop is asked for (each ``asyncio.sleep(t)`` with ``t > 0`` is
    one): one integer and one clock reading each, whatever the loop's class."""

    def __init__(self) -> None:
        self.count = 0
        self.last = 0.0  # time.monotonic() of the latest timer
        self.start = 0.0  # the loop's time when the run began

    def watch(self, loop: asyncio.AbstractEventLoop) -> None:
        self.start = loop.time()
        schedule = loop.call_at  # call_later and sleep() go through it

        def call_at(when, callback, *args, context=None):
            self.count += 1
            self.last = time.monotonic()
            return schedule(when, callback, *args, context=context)

        loop.call_at = call_at


def _why_busy(
    wakeups: _Wakeups,
    loops: list[asyncio.AbstractEventLoop],
    wall_limit: float,
    main: Awaitable[Any],
    running: list[FrameType],
) -> tuple[str, list[FrameType]]:
    """Tell a loop that polls (it still wakes up for timers) from a blocked one, and say
    where: the line the loop is stuck on, or where the main coroutine waits."""
    recently = time.monotonic() - wakeups.last < min(1.0, wall_limit / 2)
    waiting = _learners(_awaiting(main))
    if loops and recently and wakeups.count >= POLLING_WAKEUPS:
        every = (loops[0].time() - wakeups.start) / wakeups.count
        return (
            f"the loop woke up {wakeups.count:,} times for short sleeps (every {every:.1g} "
            "s on average): are you polling? Wait on an event, a future or a queue instead "
            "of checking in a loop"
        ), waiting
    return (
        "something keeps the event loop busy: time.sleep(), a busy loop, a callback that "
        "never returns, or a loop that only awaits asyncio.sleep(0) and never lets time pass"
    ), running or waiting


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


def _let_go(loops: list[asyncio.AbstractEventLoop], awaitable: Awaitable[Any]) -> None:
    """Finish what a stopped run left behind: close its tasks' coroutines (their ``finally``
    blocks run now, not when the garbage collector finds them), the awaitable and the loop."""
    for loop in loops:
        for task in asyncio.all_tasks(loop):
            with contextlib.suppress(Exception):
                task.get_coro().close()
        with contextlib.suppress(Exception):
            loop.close()
    if inspect.iscoroutine(awaitable):
        with contextlib.suppress(Exception):
            awaitable.close()
    loops.clear()
    gc.collect()  # the tasks, now unreachable: "destroyed but pending" goes to loop_errors


def _quietly(func: Callable[[], object]) -> None:
    """Call ``func`` with what it would print to stderr (warnings, "Exception ignored in")
    thrown away."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        with contextlib.redirect_stderr(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            func()
    finally:
        sys.unraisablehook = hook


def _describe(context: dict[str, Any]) -> str:
    exception = context.get("exception")
    message = context.get("message", "")
    return f"{message}: {exception!r}" if exception else message


_real_sleep = time.sleep
_sleep_hints: dict[threading.Thread, str] = {}  # guarded workers and what to tell them
_guard_lock = threading.Lock()


def _guarded_sleep(seconds: float) -> None:
    __tracebackhide__ = True
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


_call_handlers = logging.Logger.callHandlers
_log_sinks: dict[threading.Thread, list[str]] = {}  # watched workers and where their records go


def _divert_records(logger: logging.Logger, record: logging.LogRecord) -> None:
    """Stands in for ``Logger.callHandlers`` while a worker is watched: its records go to its
    list, whatever handlers exist (logging calls handlers on the emitting thread); records
    of every other thread go to their handlers as before."""
    sink = _log_sinks.get(threading.current_thread())
    if sink is None:
        return _call_handlers(logger, record)
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a wrong format; logging would report it on stderr
        message = f"{record.msg!r} % {record.args!r}"
    if record.exc_info and record.exc_info[1] is not None:
        message += f" ({record.exc_info[1]!r})"
    sink.append(f"{record.levelname} {record.name}: {message}")
    return None


@contextlib.contextmanager
def _keep_logs_of(worker: threading.Thread, logs: list[str] | None):
    """While the block runs, log records of ``worker`` go to ``logs`` and nowhere else; then
    the root logger gets back the handlers and level it had (``logging.basicConfig()``
    called in the worker adds a handler on stderr that would print every later record)."""
    if logs is None:
        yield
        return
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    with _guard_lock:
        _log_sinks[worker] = logs
        logging.Logger.callHandlers = _divert_records
    try:
        yield
    finally:
        with _guard_lock:
            del _log_sinks[worker]
            if not _log_sinks and logging.Logger.callHandlers is _divert_records:
                logging.Logger.callHandlers = _call_handlers
        for handler in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(handler)
            handler.close()
        if root.level != level:
            root.setLevel(level)
