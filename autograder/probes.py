"""Probes for exercises, lessons and tests: counting iterators, fake async services, loop watchers.

A :class:`Service` stands in for a slow network call: ``await service(key)`` takes a set
latency, then returns a result or raises an injected failure. It records every call's
start and end (loop time) and the most calls that were ever in flight at once, so a test
can check "ran concurrently", "at most 3 at a time" or "the losers were cancelled", and a
lesson can draw the same records as a timeline. :class:`CallbackAPI` is the same kind of
service in the older callback style, :func:`yield_now` the smallest awaitable (it suspends
once); :func:`own_futures` notes the futures a piece of code makes with
``loop.create_future()`` itself, and :func:`own_done_callbacks` the done-callbacks it adds
to tasks.

The functions a learner's traceback can pass through set ``__tracebackhide__``, so IPython
shows the learner's own line and the message rather than this module.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import inspect
import itertools
import sys
from collections.abc import (AsyncIterable, Awaitable, Callable, Coroutine, Generator, Hashable, Iterable,
                             Iterator, Mapping)
from dataclasses import dataclass
from typing import Any

Latency = float | Mapping[Hashable, float] | Callable[[Hashable], float]
Failure = BaseException | type[BaseException] | int


class OverreadError(AssertionError):
    """A :class:`Tap` was read further than its limit: the code under test reads too much."""


class Tap:
    """An iterator that counts how many items were pulled through it.

    ``Tap()`` is an endless ``0, 1, 2, …`` that fails with :class:`OverreadError` once
    ``limit`` items were read, so code that wrongly reads "everything" from an infinite
    iterator fails at once instead of filling the memory. ``Tap(iterable)`` wraps finite
    input the same way. ``pulled`` is how many items have been read so far.
    """

    def __init__(self, iterable: Iterable[Any] | None = None, *, limit: int = 10_000) -> None:
        self._items = iter(itertools.count() if iterable is None else iterable)
        self.limit = limit
        self.pulled = 0

    def __iter__(self) -> Tap:
        return self

    def __next__(self) -> Any:
        __tracebackhide__ = True
        if self.pulled >= self.limit:
            raise OverreadError(
                f"read more than {self.limit} items from an endless input: "
                "read only what you need instead of everything"
            )
        item = next(self._items)
        self.pulled += 1
        return item


class ServiceError(Exception):
    """The failure a :class:`Service` raises for a key it was told to fail."""


@dataclass
class Call:
    """One recorded call (of a :class:`Service`, say): what was asked, when, how it ended."""

    key: Hashable
    start: float
    end: float | None = None
    outcome: str = "running"  # then "ok", "error" or "cancelled"
    result: Any = None

    @property
    def label(self) -> str:
        return str(self.key)


class Recorder:
    """The records of calls that take time: ``calls`` and how many were in flight.

    :class:`Service` and :class:`autograder.site.NovelSite` record their calls here, so a
    test or a lesson reads them the same way (and ``timeline.plot(recorder.calls)`` draws
    them).
    """

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.in_flight = 0
        self.max_in_flight = 0

    def begin(self, key: Hashable) -> Call:
        """Note a call of ``key`` starting now (on the running loop's clock)."""
        __tracebackhide__ = True
        call = Call(key, asyncio.get_running_loop().time())
        self.calls.append(call)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        return call

    def end(self, call: Call, outcome: str) -> None:
        """Note that ``call`` ended now with ``outcome``."""
        self.in_flight -= 1
        call.end = asyncio.get_running_loop().time()
        call.outcome = outcome

    def refuse(self, key: Hashable, outcome: str) -> Call:
        """Note a call of ``key`` turned away at once: recorded, never counted in flight."""
        now = asyncio.get_running_loop().time()
        call = Call(key, now, now, outcome)
        self.calls.append(call)
        return call

    def keys(self, outcome: str | None = None) -> list[Hashable]:
        """Keys of the calls in start order, optionally only those with ``outcome``."""
        return [call.key for call in self.calls if outcome in (None, call.outcome)]

    def in_flight_at(self, when: float) -> int:
        """How many calls were running at loop time ``when`` (started, not yet ended)."""
        return sum(call.start <= when and (call.end is None or when < call.end) for call in self.calls)

    def idle_moments(self, busy: int) -> list[tuple[float, int]]:
        """``(time, running)`` at each start or end before the last start when not ``busy``
        calls ran: ``[]`` for code that keeps ``busy`` calls running whenever calls wait."""
        if not self.calls:
            return []
        last_start = max(call.start for call in self.calls)
        moments = sorted({t for call in self.calls for t in (call.start, call.end)
                          if t is not None and t < last_start})
        return [(t, self.in_flight_at(t)) for t in moments if self.in_flight_at(t) != busy]

    def outcomes(self) -> dict[Hashable, tuple[str, float | None]]:
        """``{key: (outcome, end time)}`` of every call (the last call, for a repeated key)."""
        return {call.key: (call.outcome, call.end) for call in self.calls}


class Service(Recorder):
    """An awaitable fake service: ``await service(key)``.

    ``latency`` is one number of seconds, a mapping from key to seconds (with
    ``default_latency`` for the rest) or a function of the key. ``failures`` maps a key
    to an exception (raised on every call), or to an int ``n`` (the first ``n`` calls for
    that key raise :class:`ServiceError`, later ones succeed: for retry exercises).
    ``result`` turns a key into the value returned; by default ``"<name>:<key>"``.
    """

    def __init__(
        self,
        latency: Latency = 1.0,
        *,
        failures: Mapping[Hashable, Failure] | None = None,
        result: Callable[[Hashable], Any] | None = None,
        default_latency: float = 1.0,
        name: str = "service",
    ) -> None:
        self.name = name
        self._latency = latency
        self._default_latency = default_latency
        self._failures = dict(failures or {})
        self._result = result or (lambda key: f"{name}:{key}")
        self._attempts: collections.Counter[Hashable] = collections.Counter()
        super().__init__()

    def latency(self, key: Hashable) -> float:
        if callable(self._latency):
            return self._latency(key)
        if isinstance(self._latency, Mapping):
            return self._latency.get(key, self._default_latency)
        return self._latency

    async def __call__(self, key: Hashable) -> Any:
        __tracebackhide__ = True
        call = self.begin(key)
        self._attempts[key] += 1
        outcome = "error"
        try:
            await asyncio.sleep(self.latency(key))
            failure = self._failure(key)
            if failure is not None:
                raise failure
            call.result = self._result(key)
            outcome = "ok"
            return call.result
        except asyncio.CancelledError:
            outcome = "cancelled"
            raise
        finally:
            self.end(call, outcome)

    def _failure(self, key: Hashable) -> BaseException | None:
        failure = self._failures.get(key)
        if failure is None:
            return None
        if isinstance(failure, int) and not isinstance(failure, bool):
            if self._attempts[key] > failure:
                return None
            return ServiceError(f"{self.name}: {key!r} failed (attempt {self._attempts[key]})")
        if isinstance(failure, type):
            return failure(key)
        return failure

    def __repr__(self) -> str:
        return f"<Service {self.name!r}: {len(self.calls)} calls, max {self.max_in_flight} in flight>"


class ClosableService(Service):
    """A :class:`Service` that can close the coroutine objects it handed out.

    ``close()`` closes those that were never started, so code under test that calls the
    service and never awaits the result cannot print "coroutine ... was never awaited":
    ``with contextlib.closing(ClosableService(...)) as svc:`` does it when the block ends.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._made: list[Coroutine[Any, Any, Any]] = []

    def __call__(self, key: Hashable) -> Coroutine[Any, Any, Any]:
        __tracebackhide__ = True
        coro = super().__call__(key)
        self._made.append(coro)
        return coro

    def close(self) -> None:
        for coro in self._made:
            if inspect.getcoroutinestate(coro) == inspect.CORO_CREATED:
                coro.close()


async def outcome(awaitable: Awaitable[Any]) -> tuple[Any, float]:
    """Await it; return ``(its result or the Exception it raised, the loop time it ended)``.

    A ``CancelledError`` that comes out of the awaitable (a cancelled task, say) is returned
    the same way; one that cancels the task running ``outcome`` itself goes on.
    """
    __tracebackhide__ = True
    loop = asyncio.get_running_loop()
    try:
        result = await awaitable
    except Exception as exc:
        return exc, loop.time()
    except asyncio.CancelledError as exc:
        me = asyncio.current_task()
        if me is None or me.cancelling():
            raise
        return exc, loop.time()
    return result, loop.time()


async def arrivals(source: AsyncIterable[Any]) -> list[tuple[float, Any]]:
    """``[(loop time, item), ...]``: every item of an async iterable, with the time it arrived."""
    __tracebackhide__ = True
    if inspect.iscoroutine(source):
        source.close()
        raise TypeError("expected an async generator (an 'async def' with 'yield'), got a coroutine")
    loop = asyncio.get_running_loop()
    arrived = []
    async for item in source:  # not a comprehension: its frame of its own would show in tracebacks
        arrived.append((loop.time(), item))
    return arrived


def leaves(error: BaseException) -> list[BaseException]:
    """The exceptions inside (nested) exception groups, or ``[error]`` itself: what a
    ``TaskGroup`` raised, or what ``gather`` raised, compared the same way."""
    if isinstance(error, BaseExceptionGroup):
        return [leaf for sub in error.exceptions for leaf in leaves(sub)]
    return [error]


class YieldNow:
    """``await yield_now()`` suspends the awaiting coroutine exactly once.

    Its ``__await__`` is a generator with one bare ``yield``: that ``None`` goes to whoever
    called ``coro.send(...)``, and the next ``coro.send(None)`` resumes the coroutine right
    after it. (``asyncio.sleep(0)`` is built the same way, so an asyncio event loop accepts
    ``yield_now()`` too: the task runs again on the loop's next turn.)
    """

    def __await__(self) -> Generator[None, None, None]:
        yield


def yield_now() -> YieldNow:
    """An awaitable that suspends once (see :class:`YieldNow`)."""
    return YieldNow()


class CallbackAPI:
    """A fake API in the older callback style: ``api(request, callback)`` returns ``None`` at once.

    ``latency`` seconds of loop time later it calls ``callback(None, result)``, or
    ``callback(error, None)`` for a request listed in ``errors``, from the event loop (with
    ``loop.call_later``). ``latency`` is a number or a function of the request; ``reply``
    turns a request into its result (``"reply to <request>"`` by default). ``calls`` records
    ``(request, loop time)`` for every call.
    """

    def __init__(
        self,
        latency: float | Callable[[Any], float] = 1.0,
        *,
        errors: Mapping[Any, BaseException] | None = None,
        reply: Callable[[Any], Any] = lambda request: f"reply to {request}",
    ) -> None:
        self.latency = latency
        self.errors = dict(errors or {})
        self.reply = reply
        self.calls: list[tuple[Any, float]] = []

    def __call__(self, request: Any, callback: Callable[[BaseException | None, Any], object]) -> None:
        __tracebackhide__ = True
        loop = asyncio.get_running_loop()
        self.calls.append((request, loop.time()))
        delay = self.latency(request) if callable(self.latency) else self.latency
        if request in self.errors:
            loop.call_later(delay, callback, self.errors[request], None)
        else:
            loop.call_later(delay, callback, None, self.reply(request))


_NOT_THE_CODE_UNDER_TEST = ("asyncio", "looptime", "autograder")


def _called_from_code_under_test(depth: int) -> bool:
    """Whether the function ``depth`` frames up was called by the code under test, not by
    asyncio's own tools or the course's."""
    caller = sys._getframe(depth + 1).f_globals.get("__name__") or ""
    return caller.partition(".")[0] not in _NOT_THE_CODE_UNDER_TEST


@contextlib.contextmanager
def own_futures() -> Iterator[list[asyncio.Future[Any]]]:
    """Within the block, list the futures that the code under test makes with ``loop.create_future()``.

    Use it inside a coroutine, on the running loop. Futures that asyncio makes for its own
    tools (an ``asyncio.Event``, a ``Queue``, ``shield``, ``sleep``) are left out, as are
    those of the course's own code: what remains was made by a call to
    ``create_future()`` written in the code under test (a notebook's cell, say).
    """
    loop = asyncio.get_running_loop()
    made: list[asyncio.Future[Any]] = []
    create_future = loop.create_future

    def recording_create_future() -> asyncio.Future[Any]:
        __tracebackhide__ = True
        future = create_future()
        if _called_from_code_under_test(1):
            made.append(future)
        return future

    loop.create_future = recording_create_future  # type: ignore[method-assign]
    try:
        yield made
    finally:
        del loop.create_future  # the class's own method again


class _WatchedTask(asyncio.Task):  # type: ignore[type-arg]
    """A task that notes the done-callbacks the code under test adds to it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.own_callbacks: list[Callable[..., object]] = []

    def add_done_callback(self, fn: Callable[..., object], *, context: Any = None) -> None:
        __tracebackhide__ = True
        if _called_from_code_under_test(1):
            self.own_callbacks.append(fn)
        super().add_done_callback(fn, context=context)


@contextlib.contextmanager
def own_done_callbacks() -> Iterator[dict[asyncio.Task[Any], list[Callable[..., object]]]]:
    """Within the block, ``{task: [done-callbacks]}`` for the tasks created on the running loop,
    with the callbacks that the code under test added with ``task.add_done_callback``.

    Use it inside a coroutine. The loop's task factory makes every new task note its
    callbacks meanwhile; those that asyncio's own tools add (``gather``, ``wait``,
    ``as_completed``, a ``TaskGroup``, a task awaiting another) are left out.
    """
    loop = asyncio.get_running_loop()
    previous = loop.get_task_factory()
    added: dict[asyncio.Task[Any], list[Callable[..., object]]] = {}

    def watched_task(loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, Any], **kwargs: Any) -> _WatchedTask:
        task = _WatchedTask(coro, loop=loop, **kwargs)
        added[task] = task.own_callbacks
        return task

    loop.set_task_factory(watched_task)
    try:
        yield added
    finally:
        loop.set_task_factory(previous)


class Heartbeat:
    """A task that ticks every ``interval`` seconds while the ``async with`` block runs.

    ``ticks`` are the loop times of the beats. ``longest_gap`` is the longest stretch
    without a beat (up to the end of the block): about ``interval`` when the loop was free,
    much more when something blocked it. On a real clock this catches blocking calls;
    on virtual time a blocking call takes no loop time, and ``time.sleep`` is refused by
    :func:`autograder.vtime.run` instead.
    """

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.ticks: list[float] = []
        self.stopped_at: float | None = None
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Heartbeat:
        self._task = asyncio.create_task(self._beat(), name="heartbeat")
        await asyncio.sleep(0)  # let the first beat happen now
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._task is not None
        self.stopped_at = asyncio.get_running_loop().time()
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _beat(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            self.ticks.append(loop.time())
            await asyncio.sleep(self.interval)

    @property
    def longest_gap(self) -> float:
        times = [*self.ticks, *([self.stopped_at] if self.stopped_at is not None else [])]
        return round(max((b - a for a, b in zip(times, times[1:])), default=0.0), 6)

    def was_blocked(self, tolerance: float = 2.0) -> bool:
        """True when some gap between beats exceeded ``tolerance`` intervals."""
        return self.longest_gap > tolerance * self.interval
