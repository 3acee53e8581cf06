"""What a call of an answer did, said in one line: for the test cells of chapters 01–03.

- ``expect_raises(ValueError, FibonacciIterator, -1)`` asserts that the call raises that
  exception and returns it (a ``StopIteration`` carries a generator's return value); when the
  call returns instead, or raises something else, the message says what was expected and what
  happened (a ``NameError`` goes through as it is: the answer was most likely never defined).
- ``listed(flatten(nested), what, hint)`` is ``list(...)``, except that a ``RecursionError`` comes
  out as a one-line ``AssertionError`` naming ``what``. IPython takes seconds to format a
  traceback a thousand generators deep, on a busy machine longer than a test cell may run, so
  the test says it in words instead.

``__tracebackhide__`` keeps these functions out of a learner's traceback.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable, Iterable
from typing import Any

_shown = reprlib.Repr()
_shown.maxstring, _shown.maxother, _shown.maxlist, _shown.maxtuple = 80, 80, 8, 8


def expect_raises(
    expected: type[BaseException], func: Callable[..., Any], *args: Any, what: str | None = None
) -> BaseException:
    """Call ``func(*args)``, assert that it raises ``expected`` and return the exception."""
    __tracebackhide__ = True
    what = what or f"{getattr(func, '__name__', 'the call')}({', '.join(map(_shown.repr, args))})"
    try:
        result = func(*args)
    except expected as exc:
        return exc
    except NameError:
        raise  # as it is: most often the answer was never defined, which the grader's report names
    except Exception as exc:
        raise AssertionError(f"{what}: expected {expected.__name__}, got {type(exc).__name__}: {exc}") from exc
    raise AssertionError(f"{what}: expected {expected.__name__}, but it returned {_safe_repr(result)}")


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


def _safe_repr(value: Any) -> str:
    try:
        return _shown.repr(value)
    except Exception as exc:  # noqa: BLE001 - an answer's repr() that fails says so instead
        return f"<{type(value).__name__} whose repr() raised {type(exc).__name__}>"
