# Wrong: the source article's server: answers every request with the items, whatever it asked for.
# Expected: 5
async def handle_json_http(reader, writer):
    await reader.read(1024)
    body = json.dumps(ITEMS).encode("utf-8")
    header = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    writer.write(header.encode("utf-8") + body)
    await writer.drain()
    writer.close()
