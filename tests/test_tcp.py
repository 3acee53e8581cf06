"""autograder.tcp: loopback servers in bounded threads, clients and probes."""

from __future__ import annotations

import select
import selectors
import socket
import threading
import time

import pytest

from autograder import tcp


def selector_echo(listen, connections, close_counts=1, dawdle=0.0):
    """A correct single-threaded selectors echo server (upper-cases what it gets). Wrong with
    ``close_counts=2``: it counts each close twice, so it returns at the first one. ``dawdle``
    seconds after each reply, closes made meanwhile come back from one select()."""
    listen.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(listen, selectors.EVENT_READ)
    accepted = closed = 0
    while closed < connections:
        for key, _ in sel.select():
            if key.fileobj is listen:
                conn, _ = listen.accept()
                conn.setblocking(False)
                sel.register(conn, selectors.EVENT_READ)
                accepted += 1
                if accepted == connections:
                    sel.unregister(listen)
            else:
                data = key.fileobj.recv(1024)
                if data:
                    key.fileobj.sendall(data.upper())
                    if dawdle:
                        time.sleep(dawdle)
                else:
                    sel.unregister(key.fileobj)
                    key.fileobj.close()
                    closed += close_counts
    sel.close()
    return "done"


def test_finish_closes_the_clients_one_at_a_time_so_every_run_sees_the_same_server():
    # Closed together while the server is busy, both closes come back from one select() and
    # this wrong server closes both connections before it looks at its count; closed right
    # after its reply, it might not: a score by luck. One at a time, it returns at the first
    # close, every time.
    for _ in range(3):
        with tcp.serve(selector_echo, 2, 2, 0.2) as session:  # counts each close twice, dawdles
            first, second = session.connect(), session.connect()
            for client in (first, second):
                assert session.exchange(client, b"hi") == b"HI", "the reply to each client"
            assert session.finish(), "the server returns once a close makes its count reach 2"
            assert session.server_closed == 1, f"expected the first connection closed alone, got {session.server_closed}"
            assert session.accepted[0].eof and session.accepted[0].fileno() == -1, "the first client's end read and closed"


def test_listener_is_on_loopback_and_watches_accept():
    with tcp.listener() as listen:
        host, port = listen.getsockname()
        assert host == "127.0.0.1" and port > 0
        listen.setblocking(False)
        with pytest.raises(BlockingIOError):
            listen.accept()
        assert listen.would_block == 1
        with tcp.connect((host, port)) as client:
            listen.setblocking(True)
            conn, _ = listen.accept()
            with conn:
                assert isinstance(conn, tcp.WatchedConnection)
                assert listen.accepted == [conn]
                assert conn.getblocking(), "accepted sockets start blocking, as usual"
                conn.setblocking(False)
                with pytest.raises(BlockingIOError):
                    conn.recv(10)
                assert listen.recv_would_block() == 1
                client.sendall(b"abc")
                client.shutdown(socket.SHUT_WR)
                conn.setblocking(True)
                assert tcp.recv_exactly(conn, 10) == b"abc", "fewer bytes when the peer closes"


def test_serve_runs_a_correct_server_and_records_what_it_did():
    default = selectors.DefaultSelector
    with tcp.serve(selector_echo, 2) as session:
        a, b = session.connect(), session.connect()
        b.sendall(b"second")
        assert tcp.recv_exactly(b, 6) == b"SECOND"
        a.sendall(b"first")
        assert tcp.recv_exactly(a, 5) == b"FIRST"
        assert session.finish()
    assert session.server.result == "done" and session.server.error is None
    assert session.server.started_threads == []
    assert session.selects.calls >= 4 and session.selects.shortest_timeout() is None
    assert session.would_block == 0 and session.wakeups == session.selects.calls
    assert len(session.accepted) == 2 and not any(c.getblocking() for c in session.accepted)
    assert selectors.DefaultSelector is default
    assert threading.Thread.start is tcp._original_start


def test_watch_selectors_counts_only_the_watched_thread_and_restores():
    own = {cls: cls.__dict__.get("select") for cls in tcp._SELECTOR_CLASSES}
    from selectors import DefaultSelector  # imported by name: watched all the same

    def selects(results):
        x, y = socket.socketpair()
        with DefaultSelector() as sel, x, y:
            sel.register(x, selectors.EVENT_READ)
            results.append(sel.select(0))
            y.sendall(b"!")
            results.append(len(sel.select(1.0)))
            results.append(sel)

    watched, ignored = [], []
    worker = threading.Thread(target=selects, args=(watched,))
    with tcp.watch_selectors(worker) as stats:
        worker.start()
        worker.join()
        selects(ignored)  # this thread is not watched
    assert watched[:2] == [[], 1] and ignored[:2] == [[], 1]
    assert stats.timeouts == [0, 1.0] and stats.events == [0, 1]
    assert stats.shortest_timeout() == 0
    assert stats.selectors == [watched[2]] and stats.unclosed() == []
    assert {cls: cls.__dict__.get("select") for cls in tcp._SELECTOR_CLASSES} == own


def read_write_spinner(listen, connections):
    """Wrong: registers every client for reading and writing, so select() returns at once."""
    listen.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(listen, selectors.EVENT_READ)
    closed = 0
    while closed < connections:
        for key, mask in sel.select():
            if key.fileobj is listen:
                conn, _ = listen.accept()
                conn.setblocking(False)
                sel.register(conn, selectors.EVENT_READ | selectors.EVENT_WRITE)
            elif mask & selectors.EVENT_READ:
                data = key.fileobj.recv(1024)
                if data:
                    key.fileobj.sendall(data.upper())
                else:
                    sel.unregister(key.fileobj)
                    key.fileobj.close()
                    closed += 1
    sel.close()


def draining_echo(listen, connections):
    """Right: reads every ready socket until it would block, as asyncio's accept loop does."""
    listen.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(listen, selectors.EVENT_READ)
    accepted = closed = 0
    while closed < connections:
        for key, _ in sel.select():
            sock = key.fileobj
            try:
                while True:
                    if sock is listen:
                        conn, _ = listen.accept()
                        conn.setblocking(False)
                        sel.register(conn, selectors.EVENT_READ)
                        accepted += 1
                        continue
                    data = sock.recv(2)
                    if not data:
                        sel.unregister(sock)
                        sock.close()
                        closed += 1
                        break
                    sock.sendall(data.upper())
            except BlockingIOError:
                pass
    sel.close()


def select_select_spinner(listen, connections):
    """Wrong: select.select with every client in the write list, so it never sleeps; no
    selector of the selectors module, so only the CPU clock sees it spin."""
    clients, closed = [], 0
    while closed < connections:
        watched = [listen, *clients] if len(clients) + closed < connections else clients
        readable, _writable, _ = select.select(watched, clients, [])
        for sock in readable:
            if sock is listen:
                conn, _ = listen.accept()
                conn.setblocking(False)
                clients.append(conn)
            elif data := sock.recv(1024):
                sock.sendall(data.upper())
            else:
                clients.remove(sock)
                sock.close()
                closed += 1


@pytest.mark.parametrize("server, spins", [(selector_echo, False), (draining_echo, False),
                                            (read_write_spinner, True), (select_select_spinner, True)])
def test_idle_tells_a_waiting_server_from_a_spinning_one(server, spins):
    with tcp.serve(server, 2) as session:
        a, b = session.connect(), session.connect()
        assert session.exchange(a, b"hello") == b"HELLO"
        assert session.exchange(b, b"again") == b"AGAIN"
        idle = session.idle()
        assert session.finish()
    assert idle.spinning == spins, str(idle)
    assert session.server.error is None
    assert session.selects.unclosed() == []
    if not spins:
        assert idle.wakeups <= 1 and idle.window == pytest.approx(tcp.IDLE_WINDOW, abs=0.05)
        if idle.cpu is not None:
            assert idle.cpu < tcp.SPIN_CPU / 5, "a server asleep in select() uses (almost) no CPU"


@pytest.mark.skipif(not hasattr(time, "pthread_getcpuclockid"), reason="no per-thread CPU clock here")
def test_idle_sees_a_select_select_spinner_by_its_cpu_time_alone():
    with tcp.serve(select_select_spinner, 1) as session:
        client = session.connect()
        assert session.exchange(client, b"hi") == b"HI"
        idle = session.idle()
        assert session.finish()
    assert session.selects.calls == 0 and idle.wakeups == 0, "no selectors call, no would-block"
    assert idle.cpu > tcp.SPIN_CPU and idle.spinning
    assert idle.window < tcp.IDLE_WINDOW, "a spinner is caught before the window ends"
    assert "used" in str(idle) and "ms of CPU time" in str(idle)


def test_idle_wakeups_is_the_wakeup_count_of_idle():
    with tcp.serve(read_write_spinner, 1) as session:
        client = session.connect()
        assert session.exchange(client, b"x") == b"X"
        assert session.idle_wakeups() > tcp.SPIN_LIMIT
        assert session.finish()


def test_cpu_clock_reads_a_live_thread_and_gives_none_after_it_ended():
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    read = tcp._cpu_clock(worker)
    if read is None:
        release.set()
        worker.join()
        pytest.skip("no per-thread CPU clock here")
    assert 0 <= read() < 1
    release.set()
    worker.join()
    assert tcp.wait_until(lambda: read() is None, timeout=1.0)


@pytest.mark.parametrize("timeouts, problem", [
    ([None, None], ""),
    ([None, 0.1, 5], ""),
    ([None, 0], "select(timeout=0) comes back at once when nothing is ready, so the loop spins"),
    ([-1.0], "select(timeout=-1.0) comes back at once"),
    ([1.0, 0.05], "select(timeout=0.05) wakes the server up 20 times a second while nothing happens"),
])
def test_timeout_problem_says_what_a_short_timeout_does(timeouts, problem):
    said = tcp.SelectStats(timeouts=timeouts).timeout_problem()
    assert said.startswith(problem)
    if problem:
        assert said.endswith("call select() without a timeout, or with one of at least 0.1 s")


def test_serve_records_threads_the_server_starts():
    def threaded(listen, connections):
        workers = []
        for _ in range(connections):
            conn, _ = listen.accept()
            worker = threading.Thread(target=lambda c=conn: (c.sendall(c.recv(10).upper()), c.close()))
            worker.start()
            workers.append(worker)
        for worker in workers:
            worker.join()

    with tcp.serve(threaded, 1) as session:
        client = session.connect()
        client.sendall(b"x")
        assert tcp.recv_exactly(client, 1) == b"X"
        assert session.finish()
    assert len(session.server.started_threads) == 1
    assert threading.Thread.start is tcp._original_start


def test_leaving_serve_wakes_a_server_stuck_in_accept(capsys):
    def never_done(listen):
        while True:
            listen.accept()[0].close()

    with tcp.serve(never_done) as session:
        pass
    assert session.server.done, "shutting the listener down ends a blocked accept()"
    assert isinstance(session.server.error, OSError)
    assert capsys.readouterr().err == ""


def test_leaving_serve_wakes_a_server_stuck_in_recv():
    def one_at_a_time(listen, connections):
        for _ in range(connections):
            conn, _ = listen.accept()
            with conn:
                while data := conn.recv(10):
                    conn.sendall(data.upper())

    with tcp.serve(one_at_a_time, 2) as session:
        first, second = session.connect(), session.connect()
        second.sendall(b"late")
        second.settimeout(0.2)
        with pytest.raises(TimeoutError):
            second.recv(10)
    assert session.server.done
    assert session.server.error is None or isinstance(session.server.error, ConnectionError)


def test_server_thread_keeps_errors_off_stderr(capsys):
    def boom():
        raise ValueError("bad")

    server = tcp.ServerThread(boom).start()
    assert server.join(2.0)
    assert isinstance(server.error, ValueError)
    assert capsys.readouterr().err == ""


def test_exchange_gives_up_early_when_the_server_is_gone():
    def quits(listen):
        listen.accept()[0].close()

    def fails(listen):
        raise RuntimeError("no server here")

    with tcp.serve(quits) as session:
        client = session.connect()
        assert session.server.join(2.0)
        started = time.monotonic()
        assert session.exchange(client, b"anyone?", timeout=30) == b""
        assert time.monotonic() - started < 10, "no need to wait for a server that has returned"
    with tcp.serve(fails) as session:
        client = session.connect()
        assert session.server.join(2.0)
        with pytest.raises(AssertionError, match="no server here"):
            session.exchange(client, b"hello", timeout=30)


def test_exchange_returns_the_reply_and_short_replies():
    with tcp.serve(selector_echo, 1) as session:
        client = session.connect()
        assert session.exchange(client, b"abc") == b"ABC"
        assert session.server_closed == 0
        client.close()
        assert tcp.wait_until(lambda: session.server_closed == 1)
        assert session.server.join()


def test_wait_until_is_bounded():
    assert tcp.wait_until(lambda: True, timeout=0)
    assert not tcp.wait_until(lambda: False, timeout=0.05)
