# Wrong: one thread per client with blocking sockets: concurrent, but not the single-threaded selectors design asked for.
# Expected: 5
import threading


def serve_client(conn):
    with conn:
        while data := conn.recv(4096):
            conn.sendall(data.upper())


def run_echo_server(listen_sock, connections):
    workers = []
    for _ in range(connections):
        conn, _address = listen_sock.accept()
        worker = threading.Thread(target=serve_client, args=(conn,))
        worker.start()
        workers.append(worker)
    for worker in workers:
        worker.join()
