# Wrong: the non-blocking polling server: tries accept() and recv() on every socket over and over, at 100 % CPU, with no selector.
# Expected: 6
def run_echo_server(listen_sock, connections):
    listen_sock.setblocking(False)
    clients = []
    accepted = closed = 0
    while closed < connections:
        if accepted < connections:
            try:
                conn, _address = listen_sock.accept()
            except BlockingIOError:
                pass
            else:
                conn.setblocking(False)
                clients.append(conn)
                accepted += 1
        for conn in list(clients):
            try:
                data = conn.recv(4096)
            except BlockingIOError:
                continue
            if data:
                conn.sendall(data.upper())
            else:
                clients.remove(conn)
                conn.close()
                closed += 1
