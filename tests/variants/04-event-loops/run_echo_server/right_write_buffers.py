# Right: keeps an outgoing buffer per client and switches between EVENT_READ and EVENT_WRITE with modify(), as a real server would.
# Expected: 9
import selectors


def run_echo_server(listen_sock, connections):
    listen_sock.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(listen_sock, selectors.EVENT_READ, None)
    outgoing = {}
    waiting, open_clients = connections, 0
    while waiting or open_clients:
        for key, mask in sel.select():
            sock = key.fileobj
            if key.data is None:  # the listening socket
                conn, _address = sock.accept()
                conn.setblocking(False)
                outgoing[conn] = b""
                sel.register(conn, selectors.EVENT_READ, "client")
                waiting -= 1
                open_clients += 1
                if not waiting:
                    sel.unregister(sock)
                continue
            if mask & selectors.EVENT_READ:
                data = sock.recv(4096)
                if not data:
                    sel.unregister(sock)
                    del outgoing[sock]
                    sock.close()
                    open_clients -= 1
                    continue
                outgoing[sock] += data.upper()
            if mask & selectors.EVENT_WRITE and outgoing[sock]:
                sent = sock.send(outgoing[sock])
                outgoing[sock] = outgoing[sock][sent:]
            wanted = selectors.EVENT_READ | (selectors.EVENT_WRITE if outgoing[sock] else 0)
            if wanted != key.events:
                sel.modify(sock, wanted, "client")
    sel.close()
