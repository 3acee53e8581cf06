# Wrong: never awaits drain(), so a client that sends much and reads nothing makes the server keep every reply in memory.
# Expected: 8
async def handle_echo(reader, writer):
    try:
        while line := await reader.readline():
            writer.write(line)  # buffered, however much the client has not read yet
    except ConnectionError:
        pass
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()
