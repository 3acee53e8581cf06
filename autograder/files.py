"""Files an answer writes: which threads opened them, and what they held when it returned.

Writing a file blocks the thread that writes it, so "without blocking the event loop" means
that every file the code opens is opened in a worker thread. One audit hook (PEP 578) on the
``open`` event (``open()``, ``Path.open``, ``os.open``, ``tempfile``...) and the
``os.rename`` event (``os.rename`` and ``os.replace``), installed once, serves the blocks
below; outside them it returns at once. It is a module function that reads only this
module's state and never raises, so nothing it leaves installed can break a later cell or
a kernel's shutdown.

- ``opened_by(path)``: within the block, the names of the threads that open ``path``, or a
  file of the same folder that is then renamed onto ``path`` (an atomic save).
- ``ascii_locale()``: within the block, ``open()`` without ``encoding=`` encodes as ASCII,
  as it uses cp1252 or cp936 on many Windows machines, so a save that forgets
  ``encoding="utf-8"`` fails here too.
- ``save(save_book, chapters)``: awaits an answer's ``save_book(chapters, path)`` in a
  temporary folder (removed afterwards), noting who opens the file (and, if asked, under
  the ASCII locale), and returns a
  :class:`Saved`: the file's text, which threads opened it, and what it held at the moment
  ``save_book`` returned (worker threads that open a file there wait at ``open`` until the
  event loop has seen one waiting, so a save nobody awaits has not written yet).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import locale
import os
import sys
import tempfile
import threading
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder import vtime

#: Real seconds a held writer waits for the loop to see it: a safety net.
PATIENCE = 3.0

_watched: dict[str, list[str]] = {}  # absolute path -> names of the threads that opened it
_opened_in: dict[str, dict[str, list[str]]] = {}  # watched folder -> {file: threads that opened it}
_held: dict[str, _Hold] = {}  # folder -> the hold on it
_ours = threading.local()  # set while this module reads a file itself
_hooked = False


@dataclass
class _Hold:
    loop_thread: threading.Thread
    arrived: threading.Event = field(default_factory=threading.Event)  # a writer waits at open()
    go: threading.Event = field(default_factory=threading.Event)  # let it through


def _absolute(name: Any) -> str | None:
    if isinstance(name, int):
        return None  # a file descriptor
    try:
        return os.path.abspath(os.fsdecode(os.fspath(name)))
    except (TypeError, ValueError):
        return None


def _on_audit(event: str, args: tuple) -> None:
    if event not in ("open", "os.rename"):
        return
    try:
        if not (_watched or _held) or getattr(_ours, "reading", False):
            return
        if event == "os.rename":
            _renamed(_absolute(args[0]), _absolute(args[1]))
        else:
            _opening(_absolute(args[0]))
    except Exception:  # noqa: BLE001 - an audit hook that raises would break the open itself
        return


def _opening(path: str | None) -> None:
    if path is None:
        return
    folder, thread = os.path.dirname(path), threading.current_thread()
    if path in _watched:
        _watched[path].append(thread.name)
    if folder in _opened_in:
        _opened_in[folder].setdefault(path, []).append(thread.name)
    hold = _held.get(folder)
    if hold is not None and thread is not hold.loop_thread:
        hold.arrived.set()
        hold.go.wait(PATIENCE)


def _renamed(source: str | None, target: str | None) -> None:
    if source is None or target not in _watched:
        return
    _watched[target].extend(_opened_in.get(os.path.dirname(source), {}).get(source, []))


def _hook() -> None:
    global _hooked
    if not _hooked:
        sys.addaudithook(_on_audit)  # audit hooks stay for good: this one is cheap when idle
        _hooked = True


@contextlib.contextmanager
def opened_by(path: str | os.PathLike[str]) -> Iterator[list[str]]:
    """Within the block, the names of the threads that open ``path``, in order, and those
    that opened a file of its folder that was then renamed (``os.replace``) onto it."""
    _hook()
    key = os.path.abspath(os.fspath(path))
    folder = os.path.dirname(key)
    opened: list[str] = []
    _watched[key] = opened
    _opened_in.setdefault(folder, {})
    try:
        yield opened
    finally:
        del _watched[key]
        if not any(os.path.dirname(other) == folder for other in _watched):
            del _opened_in[folder]


@contextlib.contextmanager
def ascii_locale() -> Iterator[str]:
    """Within the block, the C locale for ``LC_CTYPE``: ``open()`` without ``encoding=`` then
    encodes as ASCII. Yields that default encoding's name. (It changes nothing in UTF-8 mode,
    ``python -X utf8``, nor on macOS, where that default is always UTF-8.)"""
    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        yield locale.getpreferredencoding(False)
    finally:
        locale.setlocale(locale.LC_CTYPE, before)


def read_text(path: str | os.PathLike[str], errors: str = "strict") -> str | None:
    """The file as UTF-8 text (None if there is none), read without being noted or held."""
    _ours.reading = True
    try:
        return Path(path).read_text(encoding="utf-8", errors=errors)
    except FileNotFoundError:
        return None
    finally:
        _ours.reading = False


@dataclass(frozen=True)
class Saved:
    """What :func:`save` saw."""

    text: str | None  # the file afterwards, read as UTF-8 (None: there is none)
    not_utf8: str  # "" for a file in UTF-8, else what decoding it as UTF-8 raised (text then has U+FFFD)
    at_return: str | None  # what it held the moment save_book returned
    opened: list[str]  # threads that opened it, or a file renamed onto it
    loop_thread: str  # the name of the event loop's thread


def save(save_book: Callable[[Any, Path], Awaitable[Any]], chapters: Any, *,
         before: str | None = None, name: str = "book.md", non_utf8_locale: bool = False) -> Saved:
    """Await ``save_book(chapters, path)`` on an event loop (real time: threads are real),
    ``path`` being ``name`` in a new temporary folder that holds ``before`` if given, under
    :func:`opened_by`, with writers held at ``open`` until the loop has seen one waiting
    (and with ``non_utf8_locale``, under :func:`ascii_locale`). The folder is removed
    afterwards.

    Raises AssertionError when ``save_book`` failed to encode with the locale's encoding (it
    left out ``encoding="utf-8"``); anything else that ``save_book`` raises comes back as
    itself. A file that is not UTF-8 is read with replacement characters, and ``not_utf8``
    says why.
    """
    __tracebackhide__ = True
    _hook()
    with tempfile.TemporaryDirectory(prefix="book-") as folder:
        path = Path(folder) / name
        if before is not None:
            path.write_text(before, encoding="utf-8")
        locale_used = ascii_locale() if non_utf8_locale else contextlib.nullcontext(locale.getpreferredencoding(False))
        with locale_used as default, opened_by(path) as opened:
            try:
                loop_thread, at_return = vtime.run(_held_save, save_book, chapters, path, virtual=False).result
            except UnicodeEncodeError as exc:
                raise AssertionError(
                    f"save_book raised {type(exc).__name__}: {exc}. open() without encoding= uses the "
                    f"locale's encoding, here {default} (on many Windows machines cp1252 or cp936): "
                    f"open the file with encoding='utf-8'") from exc
        try:
            text, not_utf8 = read_text(path), ""
        except UnicodeDecodeError as exc:
            text, not_utf8 = read_text(path, errors="replace"), str(exc)
        return Saved(text, not_utf8, at_return, list(opened), loop_thread)


async def _held_save(save_book: Callable[[Any, Path], Awaitable[Any]], chapters: Any,
                     path: Path) -> tuple[str, str | None]:
    __tracebackhide__ = True
    loop_thread = threading.current_thread()
    folder = os.path.dirname(os.path.abspath(path))
    hold = _Hold(loop_thread)
    _held[folder] = hold
    at_return: list[str | None] = []
    arrival = asyncio.ensure_future(asyncio.to_thread(hold.arrived.wait, PATIENCE))
    try:
        saving = save_book(chapters, path)
        if not inspect.isawaitable(saving):
            raise AssertionError(f"save_book(...) returned {saving!r}, not a coroutine: define it with 'async def'")
        saver = asyncio.ensure_future(saving)
        saver.add_done_callback(lambda _: at_return.append(read_text(path, errors="replace")))
        await asyncio.wait([saver, arrival], return_when=asyncio.FIRST_COMPLETED)
        hold.go.set()  # a writer is waiting (or save_book is done): let it through
        await saver
    finally:
        hold.go.set()
        hold.arrived.set()
        del _held[folder]
        await arrival
    return loop_thread.name, at_return[0]
