# Wrong: the classic blocking server: accept one client, serve it until it leaves, then the next; the others wait.
# Expected: 4
def run_echo_server(listen_sock, connections):
    for _ in range(connections):
        conn, _address = listen_sock.accept()
        with conn:
            while True:
                data = conn.recv(4096)
                if not data:
                    break
                conn.sendall(data.upper())
