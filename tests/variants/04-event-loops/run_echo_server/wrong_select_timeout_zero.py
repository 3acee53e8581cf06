# Wrong: polls the selector with select(timeout=0), which returns at once when nothing is ready: the loop spins at 100 % CPU.
# Expected: 7
import selectors


def run_echo_server(listen_sock, connections):
    listen_sock.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(listen_sock, selectors.EVENT_READ)
    accepted = closed = 0
    while closed < connections:
        for key, _ in sel.select(timeout=0):
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
                    sel.unregister(conn)
                    conn.close()
                    closed += 1
    sel.close()
