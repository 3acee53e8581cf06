# Right: lets the selector's own map say when to stop: the listener leaves after the last accept, each client when it closes.
# Expected: 9
import selectors


def run_echo_server(listen_sock, connections):
    if connections <= 0:
        return
    listen_sock.setblocking(False)
    remaining = connections
    with selectors.DefaultSelector() as sel:
        sel.register(listen_sock, selectors.EVENT_READ)
        while sel.get_map():
            for key, _ in sel.select(timeout=1.0):
                sock = key.fileobj
                if sock is listen_sock:
                    conn, _ = sock.accept()
                    conn.setblocking(False)
                    sel.register(conn, selectors.EVENT_READ)
                    remaining -= 1
                    if remaining == 0:
                        sel.unregister(sock)
                elif chunk := sock.recv(1024):
                    sock.sendall(chunk.upper())
                else:
                    sel.unregister(sock)
                    sock.close()
