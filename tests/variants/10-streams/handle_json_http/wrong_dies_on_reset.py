# Wrong: catches a reset while it reads and answers, but awaits wait_closed() unprotected, where the reset surfaces again.
# Expected: 8
async def handle_json_http(reader, writer):
    try:
        request_line = (await reader.readline()).decode("latin-1").rstrip("\r\n")
        while (await reader.readline()) not in (b"\r\n", b"\n", b""):
            pass
        if not re.fullmatch(r"[A-Z]+ \S+ HTTP/\d\.\d", request_line):
            status, body = "400 Bad Request", {"error": "malformed request line"}
        elif request_line.split(" ")[:2] != ["GET", "/items"]:
            status, body = "404 Not Found", {"error": "not found"}
        else:
            status, body = "200 OK", ITEMS
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        writer.write(f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n".encode()
                     + payload)
        await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()
        await writer.wait_closed()
