# Wrong: reads the body with one read(n), which returns what has arrived so far: part of a body that comes in pieces.
# Expected: 3
async def http_get(host, port, path):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    body = await reader.read(int(headers["content-length"]))
    writer.close()
    await writer.wait_closed()
    return status, headers, body
