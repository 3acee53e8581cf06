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
comes near, so that a wrong one fails with a message instead of hanging.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from autograder import vtime

#: Real seconds a probe waits for the others before it gives up: thousands of times what a
#: thread needs to start, and short enough that a gate call stuck behind a blocked loop
#: (it waits twice this) gives up before ``vtime.run``'s 5 s limit, so no thread outlives it.
PATIENCE = 1.5


class LoopBlockedError(RuntimeError):
    """A blocking call was made on the event loop's own thread."""


class NotConcurrentError(RuntimeError):
    """Fewer calls ran at once than the probe needed."""


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
        self._loop = asyncio.get_running_loop()
        self._changed = asyncio.Event()
        await self._start()
        controller = asyncio.create_task(self._let_through(total, at_once), name="gate")
        try:
            yield self
            await controller
        finally:
            controller.cancel()
            self.open()
            await self._stop()

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
        loop, changed = self._loop, self._changed
        if loop is not None and changed is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(changed.set)
            except RuntimeError:
                pass  # the loop closed meanwhile: nobody is waiting for news


class Gate(Turnstile):
    """A blocking function that waits until it is let through.

    ``gate(*args)`` notes the call, blocks until :meth:`letting_through` (a task on the
    event loop) releases it, and returns ``result(*args)`` (the ``args`` tuple by default).
    ``arrivals`` lists the calls in the order they came; ``max_inside`` and ``observed``
    are those of :class:`Turnstile`. A call made on the loop's own thread, which would block
    the very task that lets calls through, raises :class:`LoopBlockedError` at once.
    """

    def __init__(self, result: Callable[..., Any] | None = None, *, patience: float = PATIENCE) -> None:
        super().__init__(patience)
        self._result = result or (lambda *args: args)
        self.arrivals: list[Arrival] = []
        self._loop_thread: threading.Thread | None = None

    async def _start(self) -> None:
        self._loop_thread = threading.current_thread()

    def __call__(self, *args: Any) -> Any:
        me = threading.current_thread()
        if me is self._loop_thread:
            raise LoopBlockedError(
                f"called with {args!r} on the event loop's own thread: a blocking call there "
                "freezes every task; hand it to a worker thread (loop.run_in_executor, "
                "asyncio.to_thread)")
        released = threading.Event()
        with self._lock:
            self.arrivals.append(Arrival(args, me.name))
        self._arrive(released.set)
        try:
            # Twice the controller's patience: it may spend one waiting for calls that never come.
            if not released.wait(2 * self.patience):
                raise NotConcurrentError(
                    f"call {args!r} waited {2 * self.patience:g} s to be let through, and the "
                    "event loop, which lets calls through, never did: was it blocked?")
            return self._result(*args)
        finally:
            self._leave(released.set)


class Rendezvous:
    """A coroutine function whose coroutines can finish only when ``parties`` run at once.

    ``await rendezvous(*args)`` notes the call (with its thread and loop), waits until
    ``parties`` calls have arrived, then returns ``result(*args)`` (the ``args`` tuple by
    default). They leave last-come first-served: each waits until the one that arrived
    after it has left, so completion order is the reverse of arrival order. A coroutine
    still waiting after ``patience`` real seconds raises :class:`NotConcurrentError`.
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

    async def __call__(self, *args: Any) -> Any:
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
    run_blocking: Callable[..., Any], args_list: Sequence[tuple], max_workers: int
) -> tuple[Gate, Any]:
    """Await ``run_blocking(gate, args_list, max_workers)`` on a real loop (``vtime.run``)
    while a :class:`Gate` lets ``max_workers`` calls through at a time; return the gate and
    what ``run_blocking`` returned."""
    gate = Gate()

    async def main() -> Any:
        async with gate.letting_through(len(args_list), max_workers):
            return await run_blocking(gate, args_list, max_workers)

    return gate, vtime.run(main, virtual=False).result


def from_a_thread(
    submit: Callable[..., Any], coro_fn: Callable[..., Any], args_list: Sequence[tuple]
) -> tuple[asyncio.AbstractEventLoop, Any]:
    """Call ``submit(loop, coro_fn, args_list)`` in a worker thread while ``loop`` runs, in
    debug mode (a loop method called from the wrong thread raises); return the loop and
    what ``submit`` returned."""

    async def main() -> tuple[asyncio.AbstractEventLoop, Any]:
        loop = asyncio.get_running_loop()
        return loop, await asyncio.to_thread(submit, loop, coro_fn, args_list)

    return vtime.run(main, virtual=False, debug=True).result
