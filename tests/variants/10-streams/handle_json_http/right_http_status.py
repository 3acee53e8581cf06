# Right: reason phrases from http.HTTPStatus, the answer built by a helper and written with writelines, UTF-8 body without escapes, a reset suppressed.
# Expected: 9
from http import HTTPStatus

REQUEST_LINE = re.compile(rb"(?P<method>[!#$%&'*+.^_`|~0-9A-Za-z-]+) (?P<target>\S+) HTTP/\d\.\d\r?\n")


async def answer_lines(reader):
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
    return [
        f"HTTP/1.1 {status.value} {status.phrase}\r\n".encode(),
        b"Content-Type: application/json; charset=utf-8\r\n",
        f"Content-Length: {len(body)}\r\n".encode(),
        b"Connection: close\r\n",
        b"\r\n",
        body,
    ]


async def handle_json_http(reader, writer):
    with contextlib.suppress(ConnectionError):  # a client that reset gets no answer
        writer.writelines(await answer_lines(reader))
        await writer.drain()
    writer.close()
    with contextlib.suppress(ConnectionError):
        await writer.wait_closed()
