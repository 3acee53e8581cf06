# Wrong: ends the request's lines with a bare "\n", so the server never sees the CRLF CRLF that ends the head.
# Expected: 4
async def http_get(host, port, path):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET {path} HTTP/1.1\nHost: {host}\n\n".encode())
    status = int((await reader.readline()).split()[1])
    headers = {}
    while (line := await reader.readline()).strip():
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", 0)))
    writer.close()
    await writer.wait_closed()
    return status, headers, body
