# Right: no streams at all: a Protocol on loop.create_connection frames the answer itself in data_received.
# Expected: 6
class _Answer(asyncio.Protocol):
    def __init__(self, done):
        self.done, self.data = done, b""

    def data_received(self, data):
        self.data += data
        head, blank, rest = self.data.partition(b"\r\n\r\n")
        if not blank or self.done.done():
            return
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        if len(rest) >= length:
            self.done.set_result((int(lines[0].split(" ")[1]), headers, rest[:length]))

    def connection_lost(self, exc):
        if not self.done.done():
            self.done.set_exception(exc or ConnectionError("closed before the whole answer came"))


async def http_get(host, port, path):
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    transport, _ = await loop.create_connection(lambda: _Answer(done), host, port)
    try:
        transport.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode("ascii"))
        return await done
    finally:
        transport.close()
