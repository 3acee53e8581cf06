"""Calling an answer from a test cell, so that a failure says what was expected and what happened.

A test that calls a learner's function and gets an exception instead of a value would
otherwise report only that exception (``KeyError: 'bang'``), with no word of what the test
wanted. These helpers add it::

    run = answers.run("a list with each result, or the exception raised, in its place",
                      fetch_settled, urls, svc)
    # AssertionError: fetch_settled(['u0', 'u1'], <Service ...>) raised KeyError('bang'):
    # expected a list with each result, or the exception raised, in its place

``run`` is :func:`autograder.vtime.run` with that message; ``expecting(what, expected)`` is
the same as a ``with`` block around any call; ``raised(kind, function, *args)`` calls a
function that should raise ``kind`` and returns the exception (a ``StopIteration`` carries a
generator's return value), or says what happened instead (a ``NameError`` goes through as it
is: the answer was most likely never defined); ``listed(items, what, hint)`` is ``list(...)``,
except that a ``RecursionError`` comes out as one line naming ``what`` (IPython takes seconds
to draw a traceback a thousand generators deep). The exception the answer raised stays
attached (``raise ... from``), so the learner's own line is still in the traceback.
``vtime``'s own errors (``time.sleep`` refused, a blocked loop, the virtual time limit)
already say what went wrong and what to do, and go through unchanged, as do assertions.
"""

from __future__ import annotations

import asyncio
import reprlib
from collections.abc import Awaitable, Callable, Iterable
from types import TracebackType
from typing import Any

from autograder import vtime

_PASS_THROUGH = (AssertionError, vtime.BlockingCallError, vtime.BlockedLoopError, vtime.VirtualTimeLimitError)
_shown = reprlib.Repr()
_shown.maxstring, _shown.maxother, _shown.maxlist, _shown.maxtuple = 40, 60, 6, 6


class expecting:  # noqa: N801 - used like a function: `with expecting(...):`
    """A ``with`` block in which an exception becomes an AssertionError that says
    ``"<what> raised <exception>: expected <expected>"``."""

    def __init__(self, what: str, expected: str) -> None:
        self.what, self.expected = what, expected

    def __enter__(self) -> expecting:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        __tracebackhide__ = True
        if error is None or isinstance(error, _PASS_THROUGH):
            return
        if isinstance(error, (Exception, asyncio.CancelledError)):
            raise AssertionError(f"{self.what} raised {error!r}: expected {self.expected}") from error


def run(expected: str, main: Awaitable[Any] | Callable[..., Awaitable[Any]], *args: Any, **kwargs: Any) -> vtime.Run:
    """``vtime.run(main, *args, **kwargs)``, where an exception the answer raises becomes an
    AssertionError naming the call, what it raised and ``expected``."""
    __tracebackhide__ = True
    with expecting(called(main, args), expected):
        return vtime.run(main, *args, **kwargs)


def raised(kind: type[BaseException], function: Callable[..., Any], *args: Any, what: str | None = None,
           **kwargs: Any) -> BaseException:
    """Call ``function(*args, **kwargs)``, which should raise ``kind``, and return what it raised.

    When it returns instead, or raises something else, an AssertionError says so (naming the
    call as ``what``, by default ``name(args)``).
    """
    __tracebackhide__ = True
    what = what or called(function, args)
    try:
        result = function(*args, **kwargs)
    except kind as exc:
        return exc
    except NameError:
        raise  # as it is: most often the answer was never defined, which the grader's report names
    except Exception as exc:
        raise AssertionError(f"{what} raised {exc!r}: expected it to raise {kind.__name__}") from exc
    raise AssertionError(f"{what} returned {_shown.repr(result)}: expected it to raise {kind.__name__}")


def listed(items: Iterable[Any], what: str, hint: str = "") -> list[Any]:
    """``list(items)``; a ``RecursionError`` becomes an ``AssertionError`` that names ``what``
    (and ends with ``hint``, a guess at the cause)."""
    __tracebackhide__ = True
    try:
        return list(items)
    except RecursionError as exc:
        reason = str(exc)
    # raised here, outside the except block, so the thousand frames are not shown as its context
    raise AssertionError(f"{what} raised RecursionError ({reason}){': ' + hint if hint else ''}")


def called(function: Any, args: tuple[Any, ...] = ()) -> str:
    """``name(arg, ...)`` in a line: how a test names the call it made."""
    name = getattr(function, "__qualname__", None) or _shown.repr(function)
    name = name.rpartition("<locals>.")[2]  # a function defined inside another: its own name
    if asyncio.iscoroutine(function):
        return f"{name}(...)"
    return f"{name}({', '.join(_shown.repr(arg) for arg in args)})"  # reprlib survives a broken repr
