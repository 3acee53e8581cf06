# Wrong: unpacks the request line into three parts, so a malformed one raises ValueError and gets no answer.
# Expected: 5
async def handle_json_http(reader, writer):
    method, target, version = (await reader.readline()).decode().split()
    while (await reader.readline()) not in (b"\r\n", b""):
        pass
    if not version.startswith("HTTP/"):
        status, body = "400 Bad Request", b"{}"
    elif (method, target) == ("GET", "/items"):
        status, body = "200 OK", json.dumps(ITEMS).encode()
    else:
        status, body = "404 Not Found", b"{}"
    writer.write(f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
    await writer.drain()
    writer.close()
