# Wrong: Content-Length counts the characters of the JSON text (ensure_ascii=False), not its UTF-8 bytes.
# Expected: 5
async def handle_json_http(reader, writer):
    request_line = (await reader.readline()).decode().rstrip("\r\n")
    while (await reader.readline()) not in (b"\r\n", b""):
        pass
    if not re.fullmatch(r"[A-Z]+ \S+ HTTP/\d\.\d", request_line):
        status, text = "400 Bad Request", '{"error": "bad request"}'
    elif request_line.split()[:2] != ["GET", "/items"]:
        status, text = "404 Not Found", '{"error": "not found"}'
    else:
        status, text = "200 OK", json.dumps(ITEMS, ensure_ascii=False)
    writer.write(f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(text)}\r\n\r\n{text}".encode())
    await writer.drain()
    writer.close()
