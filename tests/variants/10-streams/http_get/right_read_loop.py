# Right: a read loop that asks for exactly the bytes still missing, never more; closes with wait_closed.
# Expected: 6
async def http_get(host, port, path):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode("ascii"))
    await writer.drain()
    _version, code, *_reason = (await reader.readline()).decode("ascii").split()
    headers = {}
    while True:
        line = (await reader.readline()).decode("latin-1")
        if line in ("\r\n", ""):
            break
        name, value = line.split(":", 1)
        headers[name.lower().strip()] = value.strip()
    remaining = int(headers.get("content-length", 0))
    chunks = []
    while remaining:
        chunk = await reader.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    writer.close()
    await writer.wait_closed()
    return int(code), headers, b"".join(chunks)
