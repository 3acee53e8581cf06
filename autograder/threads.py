"""Probes for code that hands work to threads: handshakes and counters, never durations.

Threads cannot run on virtual time, and a check that measures how long they took passes or
fails with the machine's load. These probes make the behaviour itself observable:

- :class:`Gate` is a blocking function for thread pools. Each call waits until a controller
  task on the event loop lets it through (:meth:`Gate.letting_through`), which it does only once
  as many calls as may run at once are inside. So a pool that runs fewer calls at once than
  it should is seen waiting, one that runs more is counted, and a call made on the loop's
  own thread (which would block the controller) is refused at once.
- :class:`Rendezvous` is a coroutine function for code that submits coroutines from another
  thread: none of its coroutines can finish before ``parties`` of them run at once, and
  then they finish last-come first-served, so results in completion order are not in
  submission order.

Every wait is bounded by ``patience`` real seconds: a safety net that a correct answer never
comes near, so that a wrong one fails with a message instead of hanging. A gate call that
waits that long while the event loop never ran at all raises :class:`StuckLoopError`, whose
message names the usual cause (the loop's thread waits for the worker threads), and the
gate's later calls fail at once, so a blocked answer costs one wait, not one per call.

The functions the exercises call (:func:`through_gate`, :func:`cancelled_while_running`,
:func:`from_a_thread`) and the probes' own frames are hidden from a learner's traceback
(``__tracebackhide__``), so a failure shows the learner's line and the probe's message.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import threading
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

from autograder import vtime

#: Real seconds a probe waits for the others before it gives up: thousands of times what a
#: thread needs to start, and short enough that a gate call stuck behind a blocked loop
#: (it waits twice this) gives up before ``vtime.run``'s 5 s limit, so no thread outlives it.
PATIENCE = 1.5

#: What usually blocks the loop in thread code, for the messages of a blocked run.
BLOCKED_HINT = (
    "is something on the loop's thread waiting for the worker threads? pool.map(...), "
    "future.result(), concurrent.futures.wait(...), or leaving a 'with ThreadPoolExecutor(...)' "
    "block (its exit waits for every call) inside the coroutine all block the loop until the "
    "calls end; await the calls instead (loop.run_in_executor, asyncio.to_thread, "
    "asyncio.wrap_future), and shut a pool of your own down with "
    "pool.shutdown(wait=False, cancel_futures=True)"
)


class LoopBlockedError(RuntimeError):
    """A blocking call was made on the event loop's own thread."""


class NotConcurrentError(RuntimeError):
    """Fewer calls ran at once than the probe needed."""


class StuckLoopError(NotConcurrentError):
    """A call waited in a worker thread while the event loop, which lets it through, never ran."""


@dataclass(frozen=True)
class Arrival:
    """One call of a probe: its arguments, and the thread (and loop) it ran on."""

    args: tuple
    thread: str
    loop: asyncio.AbstractEventLoop | None = None


class Turnstile:
    """What :class:`Gate` and :class:`autograder.processes.ProcessGate` share: callers wait
    inside until a controller task on the event loop lets them through, one at a time.

    ``max_inside`` is the most that were ever inside at once, and ``observed`` how many
    were waiting inside each time the controller let one through.
    """

    def __init__(self, patience: float = PATIENCE) -> None:
        self.patience = patience
        self.inside = 0
        self.max_inside = 0
        self.observed: list[int] = []
        self._lock = threading.Lock()
        self._waiting: list[Callable[[], None]] = []  # how to release each waiting caller, oldest first
        self._open = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changed: asyncio.Event | None = None

    def _arrive(self, release: Callable[[], None]) -> None:
        """A caller is inside, waiting for ``release()``; an open gate releases it at once."""
        with self._lock:
            self.inside += 1
            self.max_inside = max(self.max_inside, self.inside)
            if self._open:
                release()
            else:
                self._waiting.append(release)
        self._notify()

    def _leave(self, release: Callable[[], None]) -> None:
        with self._lock:
            self.inside -= 1
            if release in self._waiting:
                self._waiting.remove(release)
        self._notify()

    @contextlib.asynccontextmanager
    async def letting_through(self, total: int, at_once: int) -> AsyncIterator[Any]:
        """Within the block, a task on the running loop lets ``total`` callers through.

        It lets the newest caller inside through, one at a time, each time
        ``min(at_once, callers not yet let through)`` are waiting inside, and notes how
        many were (``observed``). If that many never come within ``patience``, it notes the
        shortfall and stops waiting from then on, so a wrong answer costs one ``patience``
        at most. Leaving the block opens the gate for good, so nobody is left waiting.
        """
        __tracebackhide__ = True
        await self._attach()
        controller = asyncio.create_task(self._let_through(total, at_once), name="gate")
        try:
            yield self
            await controller
        finally:
            controller.cancel()
            self.open()
            await self._stop()

    @contextlib.asynccontextmanager
    async def holding(self) -> AsyncIterator[Any]:
        """Within the block nobody is let through; leaving it opens the gate for good."""
        __tracebackhide__ = True
        await self._attach()
        try:
            yield self
        finally:
            self.open()
            await self._stop()

    async def wait_inside(self, count: int) -> bool:
        """Wait until ``count`` callers wait inside; False if they did not within ``patience``."""
        return await self._wait_for(count)

    async def _attach(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._changed = asyncio.Event()
        await self._start()

    async def _start(self) -> None:
        """Called on the loop before the controller starts."""

    async def _stop(self) -> None:
        """Called on the loop when the block ends, after the gate has opened."""

    def _before_release(self) -> None:
        """Called (holding the lock) each time the controller is about to let one through."""

    def _next(self) -> int:
        """The index in ``_waiting`` of the caller to let through: the newest, so that
        completion order is not start order."""
        return -1

    async def _settle(self) -> bool:
        """Awaited before each wait for callers; False if it gave up after ``patience``."""
        return True

    async def _let_through(self, total: int, at_once: int) -> None:
        patient = True
        try:
            for done in range(total):
                wanted = min(at_once, total - done)
                if patient:
                    patient = await self._settle() and await self._wait_for(wanted)
                with self._lock:
                    self._before_release()
                    self.observed.append(len(self._waiting))
                    if self._waiting:
                        self._waiting.pop(self._next())()
        finally:
            self.open()

    async def _wait_for(self, wanted: int) -> bool:
        assert self._changed is not None
        try:
            async with asyncio.timeout(self.patience):
                while len(self._waiting) < wanted:
                    self._changed.clear()
                    if len(self._waiting) < wanted:
                        await self._changed.wait()
        except TimeoutError:
            return False
        return True

    def open(self) -> None:
        """Let every waiting caller through, and every later one straight away."""
        with self._lock:
            self._open = True
            for release in self._waiting:
                release()
            self._waiting.clear()

    def _notify(self) -> None:
        self._on_loop(self._changed.set if self._changed is not None else None)

    def _on_loop(self, callback: Callable[[], object] | None) -> None:
        """Run ``callback`` soon on the gate's loop, from any thread (not at all once it closed)."""
        loop = self._loop
        if loop is not None and callback is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(callback)
            except RuntimeError:
                pass  # the loop closed meanwhile: nobody is waiting for news


class Gate(Turnstile):
    """A blocking function that waits until it is let through.

    ``gate(*args)`` notes the call, blocks until :meth:`letting_through` (a task on the
    event loop) releases it, and returns ``result(*args)`` (the ``args`` tuple by default).
    ``arrivals`` lists the calls in the order they came; ``max_inside`` and ``observed``
    are those of :class:`Turnstile`. A call made on the loop's own thread, which would block
    the very task that lets calls through, raises :class:`LoopBlockedError` at once. A call
    that waits in vain while the loop never runs (its thread is blocked) raises
    :class:`StuckLoopError`, and so does every later call, at once.
    """

    def __init__(self, result: Callable[..., Any] | None = None, *, patience: float = PATIENCE) -> None:
        super().__init__(patience)
        self._result = result or (lambda *args: args)
        self.arrivals: list[Arrival] = []
        self.stuck = False
        self._loop_thread: threading.Thread | None = None

    async def _start(self) -> None:
        self._loop_thread = threading.current_thread()

    def __call__(self, *args: Any) -> Any:
        __tracebackhide__ = True
        me = threading.current_thread()
        if me is self._loop_thread:
            raise LoopBlockedError(
                f"called with {args!r} on the event loop's own thread: a blocking call there "
                "freezes every task; hand it to a worker thread (loop.run_in_executor, "
                "asyncio.to_thread)")
        with self._lock:
            self.arrivals.append(Arrival(args, me.name))
        if self.stuck:
            raise StuckLoopError(
                f"call {args!r} came after an earlier call found the event loop blocked: "
                + BLOCKED_HINT)
        released, loop_ran = threading.Event(), threading.Event()
        self._arrive(released.set)
        try:
            # Twice the controller's patience: it may spend one waiting for calls that never
            # come. Halfway, ask the loop to run a callback: a free loop does at once.
            if released.wait(self.patience):
                return self._result(*args)
            self._on_loop(loop_ran.set)
            if released.wait(self.patience):
                return self._result(*args)
            if not loop_ran.is_set():
                self.stuck = True
                raise StuckLoopError(
                    f"call {args!r} waited {2 * self.patience:g} s in a worker thread, and for the "
                    f"last {self.patience:g} s the event loop, which lets calls through, did not run "
                    "at all: its thread was blocked; " + BLOCKED_HINT)
            raise NotConcurrentError(
                f"call {args!r} waited {2 * self.patience:g} s to be let through, and the "
                "event loop, which lets calls through, never did: was it blocked?")
        finally:
            self._leave(released.set)


class Rendezvous:
    """A coroutine function whose coroutines can finish only when ``parties`` run at once.

    ``await rendezvous(*args)`` notes the call (with its thread and loop), waits until
    ``parties`` calls have arrived, then returns ``result(*args)`` (the ``args`` tuple by
    default). They leave last-come first-served: each waits until the one that arrived
    after it has left, so completion order is the reverse of arrival order. A coroutine
    still waiting after ``patience`` real seconds raises :class:`NotConcurrentError`.
    ``close()`` closes the coroutines that were made but never started (code that fails
    before it awaits them would otherwise print "coroutine ... was never awaited").
    """

    def __init__(self, parties: int, result: Callable[..., Any] | None = None, *,
                 patience: float = PATIENCE) -> None:
        self.parties = parties
        self._result = result or (lambda *args: args)
        self.patience = patience
        self.arrivals: list[Arrival] = []
        self.inside = 0
        self.max_inside = 0
        self._all_here = asyncio.Event()
        self._left: list[asyncio.Event] = []  # one per arrival, set when it has left
        self._made: list[Coroutine[Any, Any, Any]] = []

    def __call__(self, *args: Any) -> Coroutine[Any, Any, Any]:
        coro = self._meet(*args)
        self._made.append(coro)
        return coro

    def close(self) -> None:
        """Close the coroutines made by this rendezvous that nobody started."""
        for coro in self._made:
            if inspect.getcoroutinestate(coro) == inspect.CORO_CREATED:
                coro.close()

    async def _meet(self, *args: Any) -> Any:
        __tracebackhide__ = True
        self.arrivals.append(Arrival(args, threading.current_thread().name, asyncio.get_running_loop()))
        position = len(self._left)
        self._left.append(asyncio.Event())
        if len(self._left) >= self.parties:
            self._all_here.set()
        self.inside += 1
        self.max_inside = max(self.max_inside, self.inside)
        try:
            async with asyncio.timeout(self.patience):
                await self._all_here.wait()
                if position + 1 < len(self._left):
                    await self._left[position + 1].wait()
        except TimeoutError:
            raise NotConcurrentError(
                f"call {args!r} waited {self.patience:g} s for the others: only "
                f"{self.max_inside} of {self.parties} coroutines ever ran at once") from None
        finally:
            self.inside -= 1
            self._left[position].set()
        return self._result(*args)


def through_gate(
    run_blocking: Callable[..., Any], args_list: Sequence[tuple], max_workers: int, *,
    patience: float = PATIENCE,
) -> tuple[Gate, Any]:
    """Await ``run_blocking(gate, args_list, max_workers)`` on a real loop (``vtime.run``)
    while a :class:`Gate` lets ``max_workers`` calls through at a time; return the gate and
    what ``run_blocking`` returned."""
    __tracebackhide__ = True
    gate = Gate(patience=patience)

    async def main() -> Any:
        __tracebackhide__ = True
        async with gate.letting_through(len(args_list), max_workers):
            return await run_blocking(gate, args_list, max_workers)

    return gate, _run_real(main)


@dataclass(frozen=True)
class Cancellation:
    """What :func:`cancelled_while_running` saw; ``problem`` says what went wrong, if anything."""

    gate: Gate
    wanted: int  # calls that should have started before the cancellation (max_workers)
    started: int  # calls that had started when the task was cancelled
    ended: bool  # the cancelled task ended within the gate's patience
    still_waiting: int  # calls still waiting in the gate when it had ended

    @property
    def problem(self) -> str:
        """``""`` when the loop got control back while the calls still ran, else why not."""
        if self.started < self.wanted and self.gate.stuck:
            return ("the event loop was blocked while the calls waited in worker threads, before "
                    "any cancellation: " + BLOCKED_HINT)
        if self.started < self.wanted:
            return (f"expected {self.wanted} calls to be running before the cancellation, "
                    f"{self.started} were")
        if not self.ended:
            return f"cancelled, run_blocking was still running {self.gate.patience:g} s later"
        if self.still_waiting < self.started:
            return (f"cancelled while {self.started} calls ran in worker threads, run_blocking gave "
                    "control back only once they had ended, and the event loop was blocked "
                    "meanwhile: leaving a 'with ThreadPoolExecutor(...)' block (or calling "
                    "pool.shutdown()) inside a coroutine waits for the running calls on the "
                    "loop's thread; shut a pool of your own down with "
                    "pool.shutdown(wait=False, cancel_futures=True), or use asyncio.to_thread")
        return ""


def cancelled_while_running(
    run_blocking: Callable[..., Any], args_list: Sequence[tuple], max_workers: int, *,
    patience: float = PATIENCE,
) -> Cancellation:
    """Run ``run_blocking(gate, args_list, max_workers)`` as a task on a real loop while a
    :class:`Gate` lets nobody through; once ``max_workers`` calls wait inside, cancel the
    task and wait (``patience`` at most) for it to end.

    If its calls still wait in the gate when the task has ended, the loop got control back
    without waiting for them; code that waits for its worker threads on the loop's thread
    (leaving a ``with ThreadPoolExecutor`` block, say) ends only after they gave up. Leaving
    lets every call through, so no thread is left waiting.
    """
    __tracebackhide__ = True
    gate = Gate(patience=patience)

    async def main() -> Cancellation:
        __tracebackhide__ = True
        async with gate.holding():
            task = asyncio.create_task(run_blocking(gate, args_list, max_workers), name="run_blocking")
            await gate.wait_inside(max_workers)
            started = gate.inside
            task.cancel()
            done, _ = await asyncio.wait([task], timeout=gate.patience)
            return Cancellation(gate, max_workers, started, bool(done), gate.inside)

    return _run_real(main)


def from_a_thread(
    submit: Callable[..., Any], coro_fn: Callable[..., Any], args_list: Sequence[tuple]
) -> tuple[asyncio.AbstractEventLoop, Any]:
    """Call ``submit(loop, coro_fn, args_list)`` in a worker thread while ``loop`` runs, in
    debug mode (a loop method called from the wrong thread raises); return the loop and
    what ``submit`` returned. A :class:`Rendezvous` passed as ``coro_fn`` is closed after."""
    __tracebackhide__ = True

    async def main() -> tuple[asyncio.AbstractEventLoop, Any]:
        __tracebackhide__ = True
        loop = asyncio.get_running_loop()
        return loop, await asyncio.to_thread(submit, loop, coro_fn, args_list)

    try:
        return vtime.run(main, virtual=False, debug=True).result
    finally:
        if isinstance(coro_fn, Rendezvous):
            coro_fn.close()


def _run_real(main: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """``vtime.run(main, virtual=False).result``; a run stopped for blocking the loop says
    what usually blocks it in thread code."""
    __tracebackhide__ = True
    try:
        return vtime.run(main, virtual=False).result
    except vtime.BlockedLoopError as exc:
        raise vtime.BlockedLoopError(f"{exc}; {BLOCKED_HINT}") from None
