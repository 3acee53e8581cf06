# Wrong: makes every accepted socket non-blocking but leaves the listening socket blocking.
# Expected: 7
import selectors


def run_echo_server(listen_sock, connections):
    selector = selectors.DefaultSelector()
    accepted = closed = 0

    def accept(sock):
        nonlocal accepted
        conn, _address = sock.accept()
        conn.setblocking(False)
        selector.register(conn, selectors.EVENT_READ, echo)
        accepted += 1
        if accepted == connections:
            selector.unregister(sock)

    def echo(conn):
        nonlocal closed
        data = conn.recv(4096)
        if data:
            conn.sendall(data.upper())
        else:
            selector.unregister(conn)
            conn.close()
            closed += 1

    if connections > 0:
        selector.register(listen_sock, selectors.EVENT_READ, accept)
    try:
        while closed < connections:
            for key, _events in selector.select():
                key.data(key.fileobj)
    finally:
        selector.close()
