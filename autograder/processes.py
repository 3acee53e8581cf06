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

``launches()`` notes every process started through ``subprocess.Popen`` (which asyncio's
``create_subprocess_exec`` and ``_shell`` use too) during a block: its argv and the thread
that started it, so a check sees a shell in between and a start in a worker thread.
``run_gated(run_commands, specs, limit)`` puts it all together for a ``run_commands``
answer: gate children built from ``specs``, a real-time bound, leftover children killed.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
import threading
import uuid
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder import vtime

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

    @property
    def built(self) -> list[str]:
        """The names of the commands built so far, in the order they were built."""
        return list(self._built)

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


@dataclass(frozen=True)
class Launch:
    """One process started through ``subprocess.Popen``: its argv and the starting thread."""

    args: list[str]
    thread: str


_launches: list[list[Launch]] = []  # the lists of the open launches() blocks
_hooked = False


def _on_audit(event: str, args: tuple) -> None:
    if event != "subprocess.Popen":
        return
    try:
        if _launches:
            launch = Launch([str(arg) for arg in args[1]], threading.current_thread().name)
            for launches in _launches:
                launches.append(launch)
    except Exception:  # noqa: BLE001 - an audit hook that raises would stop the process start
        return


@contextlib.contextmanager
def launches() -> Iterator[list[Launch]]:
    """Within the block, every process started through ``subprocess.Popen``, in order, with
    its argv as ``Popen`` ran it: ``["/bin/sh", "-c", "..."]`` for a shell command. (An audit
    hook, PEP 578, installed once; outside a block it returns at once.)"""
    global _hooked
    if not _hooked:
        sys.addaudithook(_on_audit)
        _hooked = True
    noted: list[Launch] = []
    _launches.append(noted)
    try:
        yield noted
    finally:
        _launches.remove(noted)


class RunTooLongError(AssertionError):
    """``run_commands`` was still running when its real-time bound came."""


@dataclass(frozen=True)
class Gated:
    """What :func:`run_gated` saw."""

    gate: ProcessGate
    results: Any  # what run_commands returned
    argv_list: list[list[str]]  # the commands it was given
    launches: list[Launch]  # the processes started meanwhile
    loop_thread: str  # the name of the event loop's thread

    def strays(self) -> list[str]:
        """Why some command was not started with asyncio's subprocess API as given, in words:
        through a shell, with other arguments, or from a thread other than the loop's."""
        problems = []
        for name, argv in zip(self.gate.built, self.argv_list):
            mine = [launch for launch in self.launches if launch.args == argv]
            if not mine:
                through = [launch.args for launch in self.launches
                           if self.gate.token in " ".join(launch.args) and f" {name} " in f" {' '.join(launch.args)} "]
                problems.append(f"{name} was started as {through[0]!r:.300}, not with its argv as given"
                                if through else f"{name} was never started through subprocess.Popen")
            elif any(launch.thread != self.loop_thread for launch in mine):
                problems.append(f"{name} was started in the thread {mine[0].thread!r}, not by the event loop")
        return problems


def run_gated(run_commands: Callable[[list[list[str]], int], Awaitable[Any]],
              specs: Sequence[Mapping[str, Any]], limit: int, within: float = 5.0) -> Gated:
    """Await ``run_commands(argv_list, limit)`` on real time, with one :class:`ProcessGate`
    child per spec (the keyword arguments of :meth:`ProcessGate.command`), named ``c0``,
    ``c1``... A run still going after ``within`` real seconds is stopped, its children
    killed, and :class:`RunTooLongError` raised."""
    __tracebackhide__ = True
    gate = ProcessGate()

    async def main() -> tuple[Any, list[list[str]], str]:
        __tracebackhide__ = True
        async with gate.letting_through(len(specs), limit):
            argv_list = [gate.command(f"c{i}", **spec) for i, spec in enumerate(specs)]
            try:
                async with asyncio.timeout(within):
                    return await run_commands([list(argv) for argv in argv_list], limit), argv_list, \
                        threading.current_thread().name
            except TimeoutError:
                await close_leftover_processes()
                raise RunTooLongError(f"run_commands was still running after {within:g} s, and was stopped") from None

    with launches() as started:
        results, argv_list, loop_thread = vtime.run(main, virtual=False).result
    return Gated(gate, results, argv_list, list(started), loop_thread)


async def close_leftover_processes() -> None:
    """Close the subprocesses still running on this loop (their pipes too), and wait for them."""
    left = [t for t in gc.get_objects() if isinstance(t, asyncio.SubprocessTransport) and not t.is_closing()]
    for transport in left:
        transport.close()  # kills the process if it still runs
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(2):
            while any(transport.get_returncode() is None for transport in left):
                await asyncio.sleep(0.01)
