# Right: drains every ready socket, accepting or reading until BlockingIOError, as asyncio's own accept loop does.
# Expected: 9
import selectors


def run_echo_server(listen_sock, connections):
    listen_sock.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(listen_sock, selectors.EVENT_READ)
    accepted = closed = 0
    with sel:
        while closed < connections:
            for key, _mask in sel.select():
                sock = key.fileobj
                try:
                    while sock is listen_sock and accepted < connections:
                        conn, _address = sock.accept()
                        conn.setblocking(False)
                        sel.register(conn, selectors.EVENT_READ)
                        accepted += 1
                    while sock is not listen_sock:
                        data = sock.recv(1024)
                        if not data:
                            sel.unregister(sock)
                            sock.close()
                            closed += 1
                            break
                        sock.sendall(data.upper())
                except BlockingIOError:
                    pass  # nothing more for now: back to select()
                if sock is listen_sock and accepted == connections:
                    sel.unregister(sock)
