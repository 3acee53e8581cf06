# Right: reason phrases from http.HTTPStatus, headers written with writelines, UTF-8 body without escapes.
# Expected: 7
from http import HTTPStatus

REQUEST_LINE = re.compile(rb"(?P<method>[!#$%&'*+.^_`|~0-9A-Za-z-]+) (?P<target>\S+) HTTP/\d\.\d\r?\n")


async def handle_json_http(reader, writer):
    match = REQUEST_LINE.fullmatch(await reader.readline())
    async for line in reader:
        if line in (b"\r\n", b"\n"):
            break
    if match is None:
        status, payload = HTTPStatus.BAD_REQUEST, {"error": "malformed request line"}
    elif (match["method"], match["target"]) != (b"GET", b"/items"):
        status, payload = HTTPStatus.NOT_FOUND, {"error": "no such resource"}
    else:
        status, payload = HTTPStatus.OK, ITEMS
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    writer.writelines([
        f"HTTP/1.1 {status.value} {status.phrase}\r\n".encode(),
        b"Content-Type: application/json; charset=utf-8\r\n",
        f"Content-Length: {len(body)}\r\n".encode(),
        b"Connection: close\r\n",
        b"\r\n",
        body,
    ])
    await writer.drain()
    writer.close()
    await writer.wait_closed()
