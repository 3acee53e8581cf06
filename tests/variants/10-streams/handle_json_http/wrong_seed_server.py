# Wrong: seed 000's server as described: read(1024), then 200 with the JSON for any request, no Content-Length.
# Expected: 3
async def handle_json_http(reader, writer):
    await reader.read(1024)  # "should be enough for any GET request"
    header = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"
    body = json.dumps(ITEMS).encode("utf-8")
    writer.write(header + body)
    writer.close()
