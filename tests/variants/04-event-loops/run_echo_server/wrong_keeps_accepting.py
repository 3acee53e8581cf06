# Wrong: keeps the listening socket registered to the end and counts only the clients that left, so it accepts a client too many.
# Expected: 7
import selectors


def run_echo_server(listen_sock, connections):
    listen_sock.setblocking(False)
    closed = 0
    with selectors.DefaultSelector() as selector:
        selector.register(listen_sock, selectors.EVENT_READ)
        while closed < connections:
            for key, _events in selector.select():
                sock = key.fileobj
                if sock is listen_sock:
                    conn, _address = sock.accept()
                    conn.setblocking(False)
                    selector.register(conn, selectors.EVENT_READ)
                elif data := sock.recv(4096):
                    sock.sendall(data.upper())
                else:
                    selector.unregister(sock)
                    sock.close()
                    closed += 1
