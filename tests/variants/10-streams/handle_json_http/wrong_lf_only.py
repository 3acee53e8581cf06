# Wrong: ends the status line and the headers with a bare "\n" instead of CRLF.
# Expected: 6
async def handle_json_http(reader, writer):
    request_line = (await reader.readline()).decode().strip()
    while (await reader.readline()).strip():
        pass
    parts = request_line.split(" ")
    if len(parts) != 3 or not re.fullmatch(r"HTTP/\d\.\d", parts[2]):
        status, body = "400 Bad Request", b"{}"
    elif parts[:2] != ["GET", "/items"]:
        status, body = "404 Not Found", b"{}"
    else:
        status, body = "200 OK", json.dumps(ITEMS).encode()
    head = f"HTTP/1.1 {status}\nContent-Type: application/json\nContent-Length: {len(body)}\n\n"
    writer.write(head.encode() + body)
    await writer.drain()
    writer.close()
    await writer.wait_closed()
