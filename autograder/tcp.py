"""Loopback TCP for lessons and tests: a server in a bounded thread, clients, and probes.

Everything listens on 127.0.0.1 with an OS-chosen port and every wait is bounded, so a
wrong server (one that blocks, never returns or spins) costs a few seconds, never a hang.

``serve(server, *args)`` is the usual entry point::

    with tcp.serve(run_echo_server, 2) as session:
        a, b = session.connect(), session.connect()
        b.sendall(b"hi")
        assert tcp.recv_exactly(b, 2) == b"HI"
        session.close_clients()
        assert session.server.join(5.0)

It starts ``server(listener, *args)`` in a daemon thread with a :class:`WatchedListener`
and records, while the server runs, every ``select()`` call the server thread makes on a
selector of the ``selectors`` module (:class:`SelectStats`), every ``accept``/``recv`` that
would have blocked, and every thread the server starts. :meth:`Session.idle` watches the
server while its clients are quiet: its wake-ups, and the CPU time its thread uses, which
catches spinning wherever it happens (``select.select`` on writable sockets, say). Leaving
the block closes the clients, shuts the listener down (which wakes a server blocked in
``accept`` or ``select``) and waits a bounded time for the server thread.

The functions a learner's traceback can pass through set ``__tracebackhide__``, so IPython
shows the learner's own line and the message, not this module.
"""

from __future__ import annotations

import contextlib
import gc
import selectors
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

HOST = "127.0.0.1"

#: Real seconds a client waits for an answer before giving up (TimeoutError).
CLIENT_TIMEOUT = 3.0

#: Real seconds :func:`serve` waits for the server thread when the block is left.
JOIN_TIMEOUT = 3.0

_SLICE = 0.05  # how often Session.exchange looks whether the server has ended

#: Real seconds :meth:`Session.idle_wakeups` watches a server while its clients are quiet.
IDLE_WINDOW = 0.5

#: Wake-ups in that window beyond which a server spins. A server that waits in ``select()``
#: with a timeout of at least 0.1 s wakes up at most 6 times in 0.5 s; a spinning one, many
#: thousand times.
SPIN_LIMIT = 20

#: CPU seconds the server thread may use in that window. A thread asleep in ``select()``
#: uses none (a wake-up costs microseconds; measured: at most 0.04 ms in the window, at
#: load 22 on 2 cores), whatever the machine's load: a CPU clock only runs while the thread
#: runs. A spinning one uses the whole window on a free core, and still passes this limit
#: when other work leaves it a hundredth of one (measured: at least 19 ms at load 22).
SPIN_CPU = 0.005

#: The shortest ``select()`` timeout a waiting server may use (seconds).
SHORTEST_TIMEOUT = 0.1


class WatchedConnection(socket.socket):
    """A connected socket that counts the ``recv`` calls that found nothing to read, and
    notes when one found the end of the stream (``eof``: the client had closed)."""

    would_block = 0
    eof = False
    peer: Any = None  # the client's address, as accept() returned it

    def _count(self, method: Callable[..., Any], *args: Any) -> Any:
        __tracebackhide__ = True
        try:
            got = method(*args)
        except BlockingIOError:
            self.would_block += 1
            raise
        if not got and args and args[0]:  # nothing from a read that asked for something
            self.eof = True
        return got

    def recv(self, *args: Any) -> bytes:
        __tracebackhide__ = True
        return self._count(super().recv, *args)

    def recv_into(self, *args: Any) -> int:
        __tracebackhide__ = True
        return self._count(super().recv_into, *args)


class WatchedListener(socket.socket):
    """A listening socket that remembers what ``accept()`` handed out.

    ``accepted`` lists the connections (:class:`WatchedConnection` objects) and
    ``would_block`` counts the ``accept()`` calls that raised ``BlockingIOError``.
    Accepted sockets start out blocking, exactly as with a plain ``socket.socket``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.accepted: list[WatchedConnection] = []
        self.would_block = 0

    def accept(self) -> tuple[WatchedConnection, Any]:
        __tracebackhide__ = True
        try:
            fd, address = self._accept()
        except BlockingIOError:
            self.would_block += 1
            raise
        conn = WatchedConnection(self.family, self.type, self.proto, fileno=fd)
        if socket.getdefaulttimeout() is None and self.gettimeout():
            conn.setblocking(True)
        conn.peer = address
        self.accepted.append(conn)
        return conn, address

    def recv_would_block(self) -> int:
        """``recv`` calls on accepted connections that raised ``BlockingIOError``."""
        return sum(conn.would_block for conn in self.accepted)


def listener(backlog: int = 64) -> WatchedListener:
    """A :class:`WatchedListener` bound to 127.0.0.1 on a free port, already listening."""
    sock = WatchedListener(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, 0))
        sock.listen(backlog)
    except BaseException:
        sock.close()
        raise
    return sock


def connect(address: tuple[str, int], timeout: float = CLIENT_TIMEOUT) -> socket.socket:
    """A client socket connected to ``address``; its reads give up after ``timeout`` s."""
    __tracebackhide__ = True
    return socket.create_connection(address, timeout=timeout)


def recv_exactly(sock: socket.socket, n: int) -> bytes:
    """Read until ``n`` bytes came or the peer closed (then fewer); TimeoutError on silence."""
    __tracebackhide__ = True
    chunks, size = [], 0
    while size < n:
        chunk = sock.recv(n - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def shut(sock: socket.socket) -> None:
    """Shut a socket down and close it, ignoring "not connected" and "already closed"."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def wait_until(condition: Callable[[], bool], timeout: float = CLIENT_TIMEOUT) -> bool:
    """Check ``condition()`` every few milliseconds for at most ``timeout`` s; its last value."""
    __tracebackhide__ = True
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.005)
    return True


class ServerThread:
    """Runs ``target(*args)`` in a daemon thread and reports how it ended.

    ``result`` and ``error`` hold what the target returned or raised (an exception never
    reaches stderr), ``started_threads`` the threads the target itself started.
    """

    def __init__(self, target: Callable[..., Any], *args: Any, name: str = "tcp-server") -> None:
        self.target, self.args = target, args
        self.result: Any = None
        self.error: BaseException | None = None
        self.started_threads: list[threading.Thread] = []
        self._thread = threading.Thread(target=self._main, name=name, daemon=True)

    def _main(self) -> None:
        __tracebackhide__ = True
        try:
            self.result = self.target(*self.args)
        except BaseException as exc:  # noqa: BLE001 - reported to the test, not to stderr
            self.error = exc

    def start(self) -> ServerThread:
        _watch_thread_starts(self)
        self._thread.start()
        return self

    def join(self, timeout: float = JOIN_TIMEOUT) -> bool:
        """Wait at most ``timeout`` seconds; True when the target has finished."""
        self._thread.join(timeout)
        if not self._thread.is_alive():
            _unwatch_thread_starts(self)
        return not self._thread.is_alive()

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    @property
    def thread(self) -> threading.Thread:
        return self._thread


_watchers: list[ServerThread] = []
_watchers_lock = threading.Lock()
_original_start = threading.Thread.start


def _start_and_record(thread: threading.Thread) -> None:
    me = threading.current_thread()
    for watcher in list(_watchers):
        if watcher.thread is me:
            watcher.started_threads.append(thread)
    _original_start(thread)


def _watch_thread_starts(watcher: ServerThread) -> None:
    with _watchers_lock:
        _watchers.append(watcher)
        threading.Thread.start = _start_and_record


def _unwatch_thread_starts(watcher: ServerThread) -> None:
    with _watchers_lock:
        if watcher in _watchers:
            _watchers.remove(watcher)
        if not _watchers:
            threading.Thread.start = _original_start


@dataclass
class SelectStats:
    """What the ``select()`` calls made on one thread looked like."""

    timeouts: list[float | None] = field(default_factory=list)
    events: list[int] = field(default_factory=list)
    selectors: list[selectors.BaseSelector] = field(default_factory=list)

    @property
    def calls(self) -> int:
        return len(self.timeouts)

    def shortest_timeout(self) -> float | None:
        """The smallest timeout passed (None when all calls waited without a limit)."""
        limited = [t for t in self.timeouts if t is not None]
        return min(limited, default=None)

    def timeout_problem(self, shortest: float = SHORTEST_TIMEOUT) -> str:
        """What is wrong with the shortest timeout passed, in words ("" when nothing is)."""
        timeout = self.shortest_timeout()
        if timeout is None or timeout >= shortest:
            return ""
        if timeout <= 0:
            what = "comes back at once when nothing is ready, so the loop spins"
        else:
            what = f"wakes the server up {1 / timeout:.0f} times a second while nothing happens"
        return (f"select(timeout={timeout!r}) {what}: call select() without a timeout, "
                f"or with one of at least {shortest} s")

    def unclosed(self) -> list[selectors.BaseSelector]:
        """The selectors that were selected on and are not closed yet."""
        return [sel for sel in self.selectors if sel.get_map() is not None]


# The selector classes of the ``selectors`` module; DefaultSelector is one of them.
_SELECTOR_CLASSES = tuple(
    getattr(selectors, name)
    for name in ("SelectSelector", "PollSelector", "EpollSelector", "DevpollSelector", "KqueueSelector")
    if hasattr(selectors, name)
)
_select_watchers: dict[threading.Thread, SelectStats] = {}
_select_originals: dict[type, Any] = {}  # class -> its own select (or None: inherited)


def _recording_select(original: Callable[..., Any]) -> Callable[..., Any]:
    def select(self, timeout=None):
        __tracebackhide__ = True
        ready = original(self, timeout)
        stats = _select_watchers.get(threading.current_thread())
        if stats is not None:
            stats.timeouts.append(timeout)
            stats.events.append(len(ready))
            if not any(sel is self for sel in stats.selectors):
                stats.selectors.append(self)
        return ready

    return select


@contextlib.contextmanager
def watch_selectors(thread: threading.Thread) -> Iterator[SelectStats]:
    """Within the block, record every ``select()`` that ``thread`` makes on a selector.

    The ``select`` method of each selector class of the ``selectors`` module is wrapped for
    the duration, so every way of getting a selector is seen (``selectors.DefaultSelector()``,
    ``from selectors import DefaultSelector``, a subclass), while calls made on other threads
    (a kernel's own event loop, say) are ignored.
    """
    stats = SelectStats()
    with _watchers_lock:
        if not _select_watchers:
            for cls in _SELECTOR_CLASSES:
                _select_originals[cls] = cls.__dict__.get("select")
                cls.select = _recording_select(cls.select)
        _select_watchers[thread] = stats
    try:
        yield stats
    finally:
        with _watchers_lock:
            del _select_watchers[thread]
            if not _select_watchers:
                for cls, own in _select_originals.items():
                    if own is None:
                        del cls.select
                    else:
                        cls.select = own
                _select_originals.clear()


@dataclass(frozen=True)
class Idle:
    """What a server did while its clients were quiet (see :meth:`Session.idle`)."""

    window: float  #: real seconds watched (less when the server was caught spinning early)
    wakeups: int  #: ``select()`` calls and ``accept``/``recv`` calls that would block
    cpu: float | None  #: CPU seconds its thread used; None where the platform cannot tell
    wakeup_limit: int = SPIN_LIMIT
    cpu_limit: float = SPIN_CPU

    @property
    def spinning(self) -> bool:
        return self.wakeups > self.wakeup_limit or (self.cpu is not None and self.cpu > self.cpu_limit)

    def __str__(self) -> str:
        cpu = "" if self.cpu is None else f" and used {self.cpu * 1000:.0f} ms of CPU time"
        return f"in {self.window:.2f} s, the server woke up {self.wakeups} times{cpu}"


def _cpu_clock(thread: threading.Thread) -> Callable[[], float | None] | None:
    """A function that reads ``thread``'s CPU time (None once the thread has ended), or
    None where Python cannot read another thread's CPU clock (it needs
    ``time.pthread_getcpuclockid``: Linux and the BSDs have it, macOS and Windows do not)."""
    if not hasattr(time, "pthread_getcpuclockid") or thread.ident is None:
        return None
    try:
        clock = time.pthread_getcpuclockid(thread.ident)
    except OSError:
        return None

    def read() -> float | None:
        try:
            return time.clock_gettime(clock)
        except OSError:  # the thread has ended
            return None

    return read


class Session:
    """A running server under test: its address, its clients, what the probes saw."""

    def __init__(self, listen: WatchedListener, server: ServerThread, selects: SelectStats) -> None:
        self.listener = listen
        self.address = listen.getsockname()
        self.server = server
        self.selects = selects
        self.clients: list[socket.socket] = []

    def connect(self, timeout: float = CLIENT_TIMEOUT) -> socket.socket:
        """A new client, closed when the session ends (or by :meth:`close_clients`)."""
        __tracebackhide__ = True
        client = connect(self.address, timeout)
        self.clients.append(client)
        return client

    def exchange(self, client: socket.socket, data: bytes, timeout: float = CLIENT_TIMEOUT) -> bytes:
        """Send ``data``, then read as many bytes back (fewer if none come within ``timeout``).

        Gives up early once the server thread has ended and nothing more arrives; when the
        server ended with an exception, raises AssertionError naming it.
        """
        __tracebackhide__ = True
        client.sendall(data)
        chunks, size = [], 0
        deadline = time.monotonic() + timeout
        client.settimeout(_SLICE)
        try:
            while size < len(data) and time.monotonic() < deadline:
                ended = self.server.done
                try:
                    chunk = client.recv(len(data) - size)
                except TimeoutError:
                    if ended:
                        break
                    continue
                except ConnectionError:
                    break
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        finally:
            client.settimeout(timeout)
        reply = b"".join(chunks)
        if size < len(data) and self.server.error is not None:
            raise AssertionError(f"the server stopped with {self.server.error!r}") from self.server.error
        return reply

    def close_clients(self) -> None:
        for client in self.clients:
            client.close()

    def finish(self, timeout: float = JOIN_TIMEOUT) -> bool:
        """Close the clients one at a time, in the order they connected, then wait for the
        server; True when it has returned. Each client the server accepted is closed only once
        the server has seen the one before it go (read the end of its stream, closed its
        connection, or returned): what a server does at each close never depends on whether
        select() happened to report two closes at once."""
        __tracebackhide__ = True
        deadline = time.monotonic() + CLIENT_TIMEOUT  # a safety net, for all the closes together
        for client in self.clients:
            served = self._connection_of(client)
            client.close()
            if served is not None:
                wait_until(lambda: served.eof or served.fileno() == -1 or self.server.done,
                           timeout=max(0.0, deadline - time.monotonic()))
        return self.server.join(timeout)

    def _connection_of(self, client: socket.socket) -> WatchedConnection | None:
        """The server's end of ``client``'s connection, if the server has accepted it."""
        try:
            name = client.getsockname()
        except OSError:  # closed already
            return None
        return next((conn for conn in self.listener.accepted if conn.peer == name), None)

    @property
    def accepted(self) -> list[WatchedConnection]:
        return self.listener.accepted

    @property
    def server_closed(self) -> int:
        """How many accepted connections the server has closed so far."""
        return sum(conn.fileno() == -1 for conn in self.listener.accepted)

    @property
    def would_block(self) -> int:
        """``accept``/``recv`` calls made by the server that raised ``BlockingIOError``."""
        return self.listener.would_block + self.listener.recv_would_block()

    @property
    def wakeups(self) -> int:
        """Times the server asked "anything for me?": ``select()`` calls plus would-block calls."""
        return self.selects.calls + self.would_block

    def idle_wakeups(self, window: float = IDLE_WINDOW, limit: int = SPIN_LIMIT) -> int:
        """Count the server's wake-ups while no client sends anything (see :meth:`idle`)."""
        return self.idle(window, limit).wakeups

    def idle(self, window: float = IDLE_WINDOW, limit: int = SPIN_LIMIT, cpu_limit: float = SPIN_CPU) -> Idle:
        """Watch the server while no client sends anything: its wake-ups and its CPU time.

        Watches for ``window`` real seconds, or until it has passed ``limit`` wake-ups or
        ``cpu_limit`` CPU seconds. A server that waits in ``select()`` wakes up at most once
        per timeout (never, without one) and uses no CPU; a spinning one passes a limit
        within milliseconds, whether it spins in a selector, in ``select.select``, in
        ``poll`` or trying ``recv``. The garbage collector is paused meanwhile, so a
        collection that happens to run on the server thread is not counted as its work.
        """
        __tracebackhide__ = True
        before = self.wakeups
        read_cpu = _cpu_clock(self.server.thread)
        cpu_before = read_cpu() if read_cpu else None
        cpu = [0.0 if cpu_before is not None else None]

        def caught() -> bool:
            if cpu_before is not None:
                now = read_cpu()
                if now is not None:
                    cpu[0] = now - cpu_before
                    if cpu[0] > cpu_limit:
                        return True
            return self.wakeups - before > limit

        collecting = gc.isenabled()
        gc.disable()
        started = time.monotonic()
        try:
            wait_until(caught, timeout=window)
        finally:
            if collecting:
                gc.enable()
        return Idle(min(time.monotonic() - started, window), self.wakeups - before, cpu[0], limit, cpu_limit)


@contextlib.contextmanager
def serve(server: Callable[..., Any], *args: Any, join_timeout: float = JOIN_TIMEOUT) -> Iterator[Session]:
    """Run ``server(listener, *args)`` in a thread for the block; clean up after it.

    On leaving: clients closed, listener shut down and closed, the server thread joined for
    at most ``join_timeout`` s. A server still running then is left behind as a daemon
    thread, with its sockets closed under it.
    """
    __tracebackhide__ = True
    listen = listener()
    thread = ServerThread(server, listen, *args)
    with watch_selectors(thread.thread) as stats:
        session = Session(listen, thread, stats)
        try:
            thread.start()
            yield session
        finally:
            session.close_clients()
            if not thread.join(0.5):
                shut(listen)
                thread.join(join_timeout)
            listen.close()
            for conn in listen.accepted:
                conn.close()
