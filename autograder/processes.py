"""Child processes for subprocess exercises: they wait on a handshake, never on a clock.

``ProcessGate().command(name, stdout=..., returncode=...)`` is an argv list for a small
Python child that connects to the gate over 127.0.0.1, says its name, waits until the gate
lets it through, then writes its output and exits. The gate's controller (the same as
:class:`autograder.threads.Gate`'s) lets one child through each time as many as allowed are
waiting, so "as many as ``limit`` whenever commands wait" is proved by counting, not by
timing sleeping children. "At most ``limit`` at once" needs ``alive``: at each release the
gate counts its children running in ``/proc`` (Linux), which sees a program that started
too many processes even before they have connected. (Counting connected children alone
misses it: they come in one by one while others leave.)

Run code that uses it with ``vtime.run(main, virtual=False)``: processes are real.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from autograder.threads import PATIENCE, Turnstile

HOST = "127.0.0.1"

_CHILD = """
import os, socket, sys
host, port, name, code, out, err, repeat, patience, token = sys.argv[1:]
try:
    with socket.create_connection((host, int(port)), timeout=float(patience)) as gate:
        gate.sendall(f"{name} {os.getpid()}\\n".encode())
        released = gate.recv(1) == b"1"
except OSError:
    released = False
if not released:
    sys.stderr.write(name + ": never let through by the gate\\n")
    sys.exit(99)
sys.stdout.buffer.write(out.encode() * int(repeat))
sys.stderr.buffer.write(err.encode() * int(repeat))
sys.exit(int(code))
"""


@dataclass
class _Child:
    name: str
    pid: int
    released: asyncio.Event = field(default_factory=asyncio.Event)
    connected: bool = True


class ProcessGate(Turnstile):
    """Child processes that wait, connected to the gate, until it lets them through.

    ``arrivals`` lists the names of the children in the order they connected, ``released``
    in the order they were let through, ``alive`` how many of the gate's children were
    running at each release (Linux only; empty elsewhere), and ``max_inside``/``observed``
    count the connected ones (:class:`autograder.threads.Turnstile`).

    Of the children waiting, the gate lets through the one whose command was built last,
    and only once those let through before have exited and been reaped: code that awaits
    its children sees them finish in the order they were let through, on any load, and
    that order is never the order the commands were built in when two or more wait at once.
    """

    def __init__(self, patience: float = PATIENCE) -> None:
        super().__init__(patience)
        self.token = uuid.uuid4().hex  # marks this gate's children in their command lines
        self.arrivals: list[str] = []
        self.released: list[str] = []
        self.alive: list[int] = []
        self._children: list[_Child] = []  # in the order they connected
        self._built: dict[str, int] = {}  # name -> the order its command was built in
        self._server: asyncio.Server | None = None
        self._port = 0

    def command(self, name: str, *, stdout: str = "", stderr: str = "", returncode: int = 0,
                repeat: int = 1) -> list[str]:
        """The argv of a child that, once let through, writes ``stdout * repeat`` and
        ``stderr * repeat`` (UTF-8) and exits with ``returncode``. Build it inside
        :meth:`letting_through`, where the gate listens."""
        if self._server is None:
            raise RuntimeError("build commands inside 'async with gate.letting_through(...)'")
        self._built.setdefault(name, len(self._built))
        return [sys.executable, "-S", "-c", _CHILD, HOST, str(self._port), name, str(returncode),
                stdout, stderr, str(repeat), str(2 * self.patience), self.token]

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._child, HOST, 0)
        self._port = self._server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _child(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        name, _, pid = (await reader.readline()).decode().strip().rpartition(" ")
        child = _Child(name, int(pid))
        self.arrivals.append(name)
        self._children.append(child)
        self._arrive(child.released.set)
        try:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(2 * self.patience):
                    await child.released.wait()
            if child.released.is_set():
                self.released.append(name)
                writer.write(b"1")
        finally:
            child.connected = False
            self._leave(child.released.set)
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    def _before_release(self) -> None:
        count = self._count_alive()
        if count is not None:
            self.alive.append(count)

    def _next(self) -> int:
        names = {child.released.set: child.name for child in self._children}
        built = [self._built.get(names.get(release, ""), -1) for release in self._waiting]
        return built.index(max(built))

    async def _settle(self) -> bool:
        """Wait until the children let through so far have exited and been reaped by their
        parent, so the next one let through finishes after them whatever the machine's load
        (without /proc, only until their connection closed)."""
        try:
            async with asyncio.timeout(self.patience):
                while any(child.released.is_set() and self._running(child) for child in self._children):
                    await asyncio.sleep(0.001)
        except TimeoutError:
            return False
        return True

    def _running(self, child: _Child) -> bool:
        """Not yet reaped: still running, or a zombie its parent has not waited for."""
        proc = Path("/proc")
        if proc.joinpath("self").is_dir():
            return proc.joinpath(str(child.pid)).exists()
        return child.connected

    def _count_alive(self) -> int | None:
        """This gate's children that are running (not zombies), from /proc; None without it."""
        proc = Path("/proc")
        if not (proc / "self").is_dir():
            return None
        token = self.token.encode()
        count = 0
        for entry in proc.iterdir():
            if not entry.name.isdigit():
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes()
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # gone meanwhile
            state = stat.rpartition(")")[2].split()[0]
            if token in cmdline and cmdline.startswith(sys.executable.encode()) and state != "Z":
                count += 1
        return count
