# Wrong: returns at the end of the input without closing its writer, so the client never reads EOF.
# Expected: 7
async def handle_echo(reader, writer):
    try:
        while line := await reader.readline():
            writer.write(line)
            await writer.drain()
    except ConnectionResetError:
        pass
