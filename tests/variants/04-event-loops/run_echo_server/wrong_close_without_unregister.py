# Wrong: closes a departed client's socket without unregistering it; the next accepted socket reuses its number and register() raises KeyError.
# Expected: 8
import selectors


def run_echo_server(listen_sock, connections):
    listen_sock.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(listen_sock, selectors.EVENT_READ)
    accepted = closed = 0
    while closed < connections:
        for key, _ in sel.select():
            if key.fileobj is listen_sock:
                conn, _address = listen_sock.accept()
                conn.setblocking(False)
                sel.register(conn, selectors.EVENT_READ)
                accepted += 1
                if accepted == connections:
                    sel.unregister(listen_sock)
            else:
                conn = key.fileobj
                data = conn.recv(4096)
                if data:
                    conn.sendall(data.upper())
                else:
                    conn.close()
                    closed += 1
    sel.close()
