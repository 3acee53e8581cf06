# Right: reads the whole request head with readuntil(CRLF CRLF), checks the request line by splitting it, default ensure_ascii.
# Expected: 9
async def handle_json_http(reader, writer):
    try:
        head = await reader.readuntil(b"\r\n\r\n")
        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        parts = request_line.split(" ")
        if len(parts) != 3 or not parts[0] or not parts[1] or re.fullmatch(r"HTTP/[0-9]\.[0-9]", parts[2]) is None:
            code, reason, payload = 400, "Bad Request", {"error": request_line}
        elif parts[0] == "GET" and parts[1] == "/items":
            code, reason, payload = 200, "OK", ITEMS
        else:
            code, reason, payload = 404, "Not Found", {"error": parts[1]}
        body = json.dumps(payload).encode()  # ASCII only: non-ASCII characters become \u escapes
        lines = [f"HTTP/1.1 {code} {reason}", "Content-Type: application/json", f"Content-Length: {len(body)}"]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()
