# Wrong: echoes whatever bytes arrive, so a line that comes in pieces goes back in pieces, before its newline.
# Expected: 7
async def handle_echo(reader, writer):
    try:
        while data := await reader.read(1024):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()
