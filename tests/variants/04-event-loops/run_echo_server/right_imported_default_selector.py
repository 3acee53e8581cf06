# Right: imports DefaultSelector and EVENT_READ by name and dispatches on a dict from socket to handler.
# Expected: 9
from selectors import DefaultSelector, EVENT_READ


def run_echo_server(listen_sock, connections):
    listen_sock.setblocking(False)
    selector = DefaultSelector()
    handlers = {}
    served = 0

    def accept():
        nonlocal served
        conn, _address = listen_sock.accept()
        conn.setblocking(False)
        handlers[conn] = lambda: echo(conn)
        selector.register(conn, EVENT_READ)
        served += 1
        if served == connections:
            selector.unregister(listen_sock)
            del handlers[listen_sock]

    def echo(conn):
        data = conn.recv(4096)
        if data:
            conn.sendall(data.upper())
        else:
            selector.unregister(conn)
            del handlers[conn]
            conn.close()

    selector.register(listen_sock, EVENT_READ)
    handlers[listen_sock] = accept
    while handlers:
        for key, _mask in selector.select():
            handlers[key.fileobj]()
    selector.close()
