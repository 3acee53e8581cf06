# Wrong: lets the ConnectionResetError of a client that vanished escape from the handler.
# Expected: 7
async def handle_echo(reader, writer):
    while line := await reader.readline():
        writer.write(line)
        await writer.drain()
    writer.close()
    await writer.wait_closed()
