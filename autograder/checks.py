"""Comparisons a test can trust: the answer's value never gets to decide that it is right.

``got == want`` asks ``got`` first; an answer can return an object whose ``__eq__`` is always
true, and Python asks it even with ``want`` on the left when their types differ. So:

- ``same(got, want)`` is true when ``got`` has ``want``'s type (a subclass only if it changes
  none of ``__eq__``, ``__len__``, ``__iter__``, ``__getitem__``, ``__hash__``, as a named
  tuple does not) and equal contents, compared the same way all the way down: lists, tuples,
  dicts, sets and frozensets item by item, ``int`` and ``float`` by value (``2 == 2.0``; not
  ``bool``), other built-in scalars by exact type and value, anything else by type and ``==``.
- ``expect(got, want, what)`` asserts ``same`` with a message that says what was expected,
  what came back and, for long values, where they first differ.

Both are for the course's test cells; ``__tracebackhide__`` keeps them out of a learner's
traceback, so a failure shows the test's line and the message.
"""

from __future__ import annotations

import reprlib
from collections.abc import Mapping
from typing import Any

_NUMBERS = (int, float)
_SCALARS = (type(None), bool, int, float, complex, str, bytes, bytearray)
_CONTAINERS = (list, tuple, dict, set, frozenset)
_PROTOCOL = ("__eq__", "__len__", "__iter__", "__getitem__", "__hash__", "__contains__")
_shown = reprlib.Repr()
_shown.maxstring, _shown.maxother, _shown.maxlist, _shown.maxtuple = 120, 120, 12, 12


def same(got: Any, want: Any) -> bool:
    """``got`` equals ``want`` without ``got``'s own methods deciding it (see the module)."""
    __tracebackhide__ = True
    kind = type(want)
    if kind in _NUMBERS and type(got) in _NUMBERS:
        return kind.__eq__(want, got) is True or type(got).__eq__(got, want) is True
    if kind in _SCALARS:
        return type(got) is kind and kind.__eq__(want, got) is True
    base = next((c for c in _CONTAINERS if isinstance(want, c)), None)
    if base is None:
        return type(got) is kind and want == got
    if not _faithful(got, kind):
        return False
    if base in (list, tuple):
        return (base.__len__(got) == base.__len__(want)
                and all(same(g, w) for g, w in zip(base.__iter__(got), base.__iter__(want))))
    if base is dict:
        if dict.__len__(got) != dict.__len__(want):
            return False
        pairs = list(dict.items(got))
        return all(any(same(k, key) and same(v, value) for k, v in pairs)
                   for key, value in dict.items(want))
    items = list(base.__iter__(got))  # set, frozenset
    return len(items) == base.__len__(want) and all(any(same(g, w) for g in items) for w in want)


def _faithful(got: Any, kind: type) -> bool:
    """``got`` is a ``kind`` that compares, counts and iterates as ``kind`` does."""
    if not isinstance(got, kind):
        return False
    return all(getattr(type(got), name, None) is getattr(kind, name, None) for name in _PROTOCOL)


def expect(got: Any, want: Any, what: str = "the result") -> None:
    """Assert ``same(got, want)``; the message names ``what`` and shows both values."""
    __tracebackhide__ = True
    if same(got, want):
        return
    message = f"{what}: expected {_shown.repr(want)}, got {_safe_repr(got)}"
    where = first_difference(got, want)
    if where:
        message += f" ({where})"
    raise AssertionError(message)


def first_difference(got: Any, want: Any) -> str:
    """Where two long strings or sequences first differ, in words ("" when not useful)."""
    __tracebackhide__ = True
    if type(want) in (str, bytes) and type(got) is type(want):
        for i, (g, w) in enumerate(zip(got, want)):
            if g != w:
                return f"they first differ at position {i}: expected {want[i:i + 20]!r}, got {got[i:i + 20]!r}"
        if len(got) != len(want):
            return f"expected {len(want)} characters, got {len(got)}"
        return ""
    if type(want) in (list, tuple) and _faithful(got, type(want)):
        for i, (g, w) in enumerate(zip(got, want)):
            if not same(g, w):
                return f"item {i} differs: expected {_shown.repr(w)}, got {_safe_repr(g)}"
        if len(got) != len(want):
            return f"expected {len(want)} items, got {len(got)}"
    if isinstance(want, Mapping) and isinstance(got, dict):
        missing = [k for k in want if not any(same(k, g) for g in dict.keys(got))]
        if missing:
            return f"missing key {_shown.repr(missing[0])}"
    return ""


def _safe_repr(value: Any) -> str:
    """``repr`` of an answer's value, which may itself raise or run forever in a loop of its own."""
    try:
        return _shown.repr(value)
    except Exception as exc:  # noqa: BLE001 - a repr that fails says so instead
        return f"<{type(value).__name__} whose repr() raised {type(exc).__name__}>"
