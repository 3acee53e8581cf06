# Wrong: writes a str instead of bytes, so the handler raises TypeError before answering anything.
# Expected: 0
async def handle_json_http(reader, writer):
    request_line = (await reader.readline()).decode("latin-1")
    body = json.dumps(ITEMS)
    writer.write(f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n{body}")
    await writer.drain()
    writer.close()
