# Wrong: sends a correct answer but never closes the connection.
# Expected: 6
async def handle_json_http(reader, writer):
    request_line = (await reader.readline()).decode("latin-1").rstrip("\r\n")
    while (await reader.readline()) not in (b"\r\n", b""):
        pass
    if not re.fullmatch(r"[A-Z]+ \S+ HTTP/\d\.\d", request_line):
        status, body = "400 Bad Request", b"{}"
    elif request_line.split()[:2] != ["GET", "/items"]:
        status, body = "404 Not Found", b"{}"
    else:
        status, body = "200 OK", json.dumps(ITEMS).encode()
    writer.write(f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
    await writer.drain()
