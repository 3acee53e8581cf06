# Wrong: returns as soon as one client closes, leaving the others without a server.
# Expected: 4
import selectors


def run_echo_server(listen_sock, connections):
    listen_sock.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(listen_sock, selectors.EVENT_READ)
    try:
        while True:
            for key, _ in sel.select():
                if key.fileobj is listen_sock:
                    conn, _address = listen_sock.accept()
                    conn.setblocking(False)
                    sel.register(conn, selectors.EVENT_READ)
                else:
                    conn = key.fileobj
                    data = conn.recv(4096)
                    if not data:
                        conn.close()
                        return
                    conn.sendall(data.upper())
    finally:
        sel.close()
