"""Chapter 10's checks: stream handlers served and asked, raw HTTP taken apart, canned servers.

Everything here runs on the loop that ``vtime.run`` runs, with :func:`autograder.site.serving`
for the server side, so pauses are virtual and exact.

- :class:`Handled` wraps an answer's handler for ``site.serving``: it notes how each call
  ended and keeps the handler's own exception, so a check's message can say "your handler
  raised NameError ... (line 4: ...)" instead of what the client saw ("got b''").
- :func:`ask` serves a handler, sends it raw request bytes and reads the answer until the
  server closes; :func:`parse_response`, :func:`header` and :func:`get_request` take HTTP
  apart and put requests together.
- :class:`Canned` is a server that answers every request with the same bytes, in pieces and
  pauses of your choice, and notes the requests it saw; :func:`get_from` asks it with an
  answer's ``http_get``; :func:`response` builds raw response bytes.
- :func:`reset` leaves a connection abruptly (the peer gets a reset), :func:`read_all`
  reads to the end of the stream with a bound, :func:`read_within` what comes in a while.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import socket
import struct
import sysconfig
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from autograder import site

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[Any]]

_NOT_LEARNERS = tuple(os.path.realpath(p) for p in {
    os.path.dirname(__file__), sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"],
    sysconfig.get_paths()["platlib"]})


def described(exc: BaseException) -> str:
    """``Type: message``, with the last line of the answer's own code that it went through
    (``line 4: writer.write(lin)``), skipping the course's and the standard library's frames."""
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__)
              if not os.path.realpath(frame.filename).startswith(_NOT_LEARNERS)]
    text = type(exc).__name__ + (f": {exc}" if str(exc) else "")
    if frames and frames[-1].line:
        text += f" (line {frames[-1].lineno}: {frames[-1].line.strip()})"
    return text


class Handled:
    """An answer's stream handler, wrapped for ``site.serving``: ``endings`` notes how each
    call ended, ``("returned" or "raised <exception>", whether its writer was closing)``, and
    ``errors`` the exceptions it raised (kept here, so they do not reach asyncio, which would
    log them). After an exception it closes the connection, as asyncio does."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.endings: list[tuple[str, bool]] = []
        self.errors: list[Exception] = []

    async def __call__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        __tracebackhide__ = True
        try:
            await self.handler(reader, writer)
            how = "returned"
        except Exception as exc:  # noqa: BLE001 - noted, and shown by failure()
            self.errors.append(exc)
            how = f"raised {exc!r}"
        self.endings.append((how, writer.is_closing()))
        if how != "returned":
            writer.transport.close()  # as asyncio does after a handler's exception (3.11.7+, 3.12.1+)

    async def ended(self, count: int, within: float = 10) -> bool:
        """Wait until ``count`` calls have ended; False if they have not within ``within`` s."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(within):
                while len(self.endings) < count:
                    await asyncio.sleep(0.01)
        return len(self.endings) >= count

    def failure(self) -> str:
        """``""`` if no call raised; else ``"; your handler raised ..."`` with the first
        exception and the line of the answer it came from: the end of a check's message."""
        if not self.errors:
            return ""
        return f"; your handler raised {described(self.errors[0])}"


def reset(writer: asyncio.StreamWriter) -> None:
    """Leave abruptly: close with SO_LINGER 0, so that the other end gets a reset, not an EOF."""
    writer.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def read_all(reader: asyncio.StreamReader, within: float = 10) -> tuple[bytes, bool]:
    """Read until EOF: ``(data, True)``, or ``(what came, False)`` if no EOF came within
    ``within`` seconds (a reset counts as the end)."""
    chunks = []
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(within):
            with contextlib.suppress(ConnectionError):
                while chunk := await reader.read(65536):
                    chunks.append(chunk)
            return b"".join(chunks), True
    return b"".join(chunks), False


async def read_within(reader: asyncio.StreamReader, seconds: float) -> bytes:
    """What arrives within ``seconds``: the first chunk, or ``b""`` if nothing came (or the
    stream ended)."""
    with contextlib.suppress(TimeoutError, ConnectionError):
        async with asyncio.timeout(seconds):
            return await reader.read(65536)
    return b""


@dataclass(frozen=True)
class Asked:
    """What :func:`ask` saw: the answer's bytes, whether the server closed within 10 s, how
    the handler ended, and :meth:`Handled.failure`."""

    data: bytes
    closed: bool
    endings: list[tuple[str, bool]]
    failure: str


async def ask(handler: Handler, request: bytes) -> Asked:
    """Serve ``handler``, send it the raw ``request`` bytes, and read the answer until the
    server closes (10 s at most)."""
    __tracebackhide__ = True
    served = Handled(handler)
    async with site.serving(served) as (host, port):
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(request)
        data, closed = await read_all(reader)
        writer.close()
        await served.ended(1)
    return Asked(data, closed, served.endings, served.failure())


def parse_response(data: bytes) -> tuple[str, list[str], bytes]:
    """Split raw response bytes into (status line, header lines, body), leniently: lines may
    end in CRLF or in a bare LF here (another check says which)."""
    head, *rest = re.split(rb"\r?\n\r?\n", data, maxsplit=1)
    lines = re.split(r"\r?\n", head.decode("latin-1"))
    return lines[0], lines[1:], (rest[0] if rest else b"")


def header(lines: list[str], name: str) -> str | None:
    """The value of header ``name`` (any case) among the header lines, stripped; None if absent."""
    for line in lines:
        key, _, value = line.partition(":")
        if key.strip().lower() == name.lower():
            return value.strip()
    return None


def get_request(target: str, method: str = "GET") -> bytes:
    """A request head as a browser-like client sends it: request line, three headers, CRLFs."""
    return (f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: course-check\r\n"
            f"Accept: */*\r\n\r\n").encode()


def response(status_line: str, headers: list[tuple[str, str]], body: bytes) -> bytes:
    """Raw response bytes: the status line, the (name, value) headers, a blank line, the body."""
    head = "".join(f"{line}\r\n" for line in [status_line, *(f"{n}: {v}" for n, v in headers)])
    return head.encode("latin-1") + b"\r\n" + body


class Canned:
    """A server that answers every request with the same bytes, and notes what it saw.

    For each connection it reads the request head (up to the blank line, CRLF CRLF) and notes
    it in ``requests`` (None if no blank line came within 10 s), sends ``pieces`` (bytes, or a
    number: a pause of that many seconds), then waits up to ``linger`` seconds for the client
    to close. If it has not, it closes its own side (the client reads EOF) and waits ``linger``
    more. ``closed`` notes the loop time the client closed (None: never).
    """

    def __init__(self, *pieces: bytes | float, linger: float = 60) -> None:
        self.pieces, self.linger = pieces, linger
        self.requests: list[bytes | None] = []
        self.closed: list[float | None] = []

    async def __call__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = None
        with contextlib.suppress(TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            async with asyncio.timeout(10):
                head = await reader.readuntil(b"\r\n\r\n")
        self.requests.append(head)
        with contextlib.suppress(ConnectionError):
            for piece in self.pieces:
                if isinstance(piece, bytes):
                    writer.write(piece)
                    await writer.drain()
                else:
                    await asyncio.sleep(piece)
        closed_at = await self._client_leaves(reader)
        if closed_at is None:
            writer.write_eof()
            closed_at = await self._client_leaves(reader)
        self.closed.append(closed_at)
        writer.close()

    async def _client_leaves(self, reader: asyncio.StreamReader) -> float | None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.linger):
                with contextlib.suppress(ConnectionError):
                    while await reader.read(65536):
                        pass
                return asyncio.get_running_loop().time()
        return None


async def get_from(http_get: Callable[[str, int, str], Awaitable[Any]], canned: Canned,
                   path: str = "/") -> tuple[Any, Canned]:
    """Serve ``canned`` and await ``http_get(host, port, path)`` on it; returns what
    ``http_get`` returned, and the canned server once it is done with the connection."""
    __tracebackhide__ = True
    async with site.serving(canned) as (host, port):
        got = await http_get(host, port, path)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(3 * canned.linger):
                while not canned.closed:
                    await asyncio.sleep(1)
    return got, canned
