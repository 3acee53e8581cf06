# Wrong: select.select() with every client in the write list: a socket with room to send is always writable, so select() never sleeps and the loop spins, outside any selectors class.
# Expected: 6
import select


def run_echo_server(listen_sock, connections):
    listen_sock.setblocking(False)
    readers, clients = [listen_sock], []
    accepted = closed = 0
    while closed < connections:
        readable, _writable, _ = select.select(readers + clients, clients, [])
        for sock in readable:
            if sock is listen_sock:
                conn, _address = listen_sock.accept()
                conn.setblocking(False)
                clients.append(conn)
                accepted += 1
                if accepted == connections:
                    readers.remove(listen_sock)
            elif data := sock.recv(4096):
                sock.sendall(data.upper())
            else:
                clients.remove(sock)
                sock.close()
                closed += 1
