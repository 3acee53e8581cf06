# Wrong: registers every client for EVENT_READ | EVENT_WRITE; a socket is almost always writable, so select() returns at once and the loop spins.
# Expected: 7
import selectors


def run_echo_server(listen_sock, connections):
    listen_sock.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(listen_sock, selectors.EVENT_READ)
    accepted = closed = 0
    while closed < connections:
        for key, mask in sel.select():
            sock = key.fileobj
            if sock is listen_sock:
                conn, _address = sock.accept()
                conn.setblocking(False)
                sel.register(conn, selectors.EVENT_READ | selectors.EVENT_WRITE)
                accepted += 1
                if accepted == connections:
                    sel.unregister(sock)
            elif mask & selectors.EVENT_READ:
                data = sock.recv(4096)
                if data:
                    sock.sendall(data.upper())
                else:
                    sel.unregister(sock)
                    sock.close()
                    closed += 1
    sel.close()
