# Wrong: keeps the header names as the server wrote them instead of lower-casing them.
# Expected: 4
async def http_get(host, port, path):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    status = int((await reader.readline()).split()[1])
    headers = {}
    while (line := await reader.readline()) != b"\r\n":
        name, value = line.decode().split(":", 1)
        headers[name] = value.strip()
    length = next((int(value) for name, value in headers.items() if name.lower() == "content-length"), 0)
    body = await reader.readexactly(length)
    writer.close()
    return status, headers, body
