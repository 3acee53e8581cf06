"""Which threads open a file: for "write it without blocking the event loop" exercises.

Writing a file blocks the thread that writes it. ``opened_by(path)`` notes, for the length
of a ``with`` block, the name of every thread that opens ``path``: a coroutine that writes
with a plain ``open`` shows the event loop's own thread there, one that hands the writing
to ``asyncio.to_thread`` or an executor shows a worker thread. It uses an audit hook
(PEP 578) on the ``open`` event, installed once; outside a block it only looks at an empty
dict.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator

_watched: dict[str, list[str]] = {}  # absolute path -> names of the threads that opened it
_hooked = False


def _on_audit(event: str, args: tuple) -> None:
    if event != "open" or not _watched or isinstance(args[0], int):
        return
    try:
        path = os.path.abspath(os.fsdecode(os.fspath(args[0])))
    except (TypeError, ValueError):
        return
    opened = _watched.get(path)
    if opened is not None:
        opened.append(threading.current_thread().name)


@contextlib.contextmanager
def opened_by(path: str | os.PathLike[str]) -> Iterator[list[str]]:
    """Within the block, the names of the threads that open ``path``, in order."""
    global _hooked
    if not _hooked:
        sys.addaudithook(_on_audit)
        _hooked = True
    key = os.path.abspath(os.fspath(path))
    opened: list[str] = []
    _watched[key] = opened
    try:
        yield opened
    finally:
        del _watched[key]
