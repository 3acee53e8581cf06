"""autograder.streams: handlers served and asked, and failures told with the answer's own line."""

from __future__ import annotations

import asyncio

from autograder import site, streams, vtime


async def echo(reader, writer):
    while line := await reader.readline():
        writer.write(line)
        await writer.drain()
    writer.close()


async def typo(reader, writer):
    line = await reader.readline()
    wirter.write(line)  # noqa: F821 - the learner's typo


async def talk(handler, lines):
    served = streams.Handled(handler)
    async with site.serving(served) as (host, port):
        reader, writer = await asyncio.open_connection(host, port)
        replies = []
        for line in lines:
            writer.write(line)
            replies.append(await reader.readline())
        writer.close()
        await served.ended(1)
    return replies, served


def test_handled_notes_how_each_call_ended():
    replies, served = vtime.run(talk, echo, [b"one\n", "二\n".encode()]).result
    assert replies == [b"one\n", "二\n".encode()]
    assert served.endings == [("returned", True)] and served.failure() == ""


def test_a_handler_that_raises_is_named_with_its_own_line():
    replies, served = vtime.run(talk, typo, [b"one\n"]).result
    assert replies == [b""]  # all the client sees
    assert served.endings[0][0].startswith("raised NameError")
    assert served.failure().startswith("; your handler raised NameError: name 'wirter' is not defined "
                                       "(line 19: wirter.write(line)")


def test_described_without_a_message_or_a_line():
    assert streams.described(NotImplementedError()) == "NotImplementedError"


async def answer_items(reader, writer):
    await reader.readuntil(b"\r\n\r\n")
    writer.write(streams.response("HTTP/1.1 200 OK", [("Content-Length", "2")], b"[]"))
    writer.close()


def test_ask_reads_the_answer_until_the_server_closes():
    asked = vtime.run(streams.ask, answer_items, streams.get_request("/items")).result
    assert asked.closed and asked.endings == [("returned", True)] and asked.failure == ""
    status_line, headers, body = streams.parse_response(asked.data)
    assert (status_line, headers, body) == ("HTTP/1.1 200 OK", ["Content-Length: 2"], b"[]")
    assert streams.header(headers, "content-length") == "2" and streams.header(headers, "Host") is None


async def silent(reader, writer):
    await asyncio.sleep(60)
    writer.close()


def test_ask_gives_up_after_10_virtual_seconds_without_an_end():
    run = vtime.run(streams.ask, silent, b"hello\r\n\r\n")
    assert run.result.data == b"" and not run.result.closed and run.elapsed >= 10


async def http_get(host, port, path):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split()[1])
    length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
    body = await reader.readexactly(length)
    writer.close()
    return status, body


def test_canned_answers_in_pieces_and_notes_the_request():
    raw = streams.response("HTTP/1.1 404 Not Found", [("Content-Length", "5")], b"nope!")
    run = vtime.run(streams.get_from, http_get, streams.Canned(raw[:10], 2, raw[10:], b"extra"), "/x?y=1")
    got, canned = run.result
    assert got == (404, b"nope!")
    assert canned.requests == [b"GET /x?y=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"]
    assert canned.closed == [2.0]  # the client closed once it had the body


def test_reset_makes_the_peer_see_a_connection_reset():
    async def rude():
        seen = []

        async def reader_side(reader, writer):
            try:
                await reader.read(100)
                await reader.read(100)
            except ConnectionResetError as exc:
                seen.append(exc)
            writer.close()

        served = streams.Handled(reader_side)
        async with site.serving(served) as (host, port):
            _, writer = await asyncio.open_connection(host, port)
            writer.write(b"hi")
            await asyncio.sleep(0.1)
            streams.reset(writer)
            await served.ended(1)
        return seen

    assert [type(e) for e in vtime.run(rude).result] == [ConnectionResetError]


def test_read_within_gives_what_came_or_nothing():
    async def partial():
        async with site.serving(echo) as (host, port):
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(b"hel")
            early = await streams.read_within(reader, 1)
            writer.write(b"lo\n")
            later = await streams.read_within(reader, 1)
            writer.close()
        return early, later

    run = vtime.run(partial)
    assert run.result == (b"", b"hello\n") and run.elapsed == 1.0
