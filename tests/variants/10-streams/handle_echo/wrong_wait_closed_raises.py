# Wrong: catches the reset around the loop, but wait_closed() re-raises it afterwards.
# Expected: 7
async def handle_echo(reader, writer):
    try:
        while line := await reader.readline():
            writer.write(line)
            await writer.drain()
    except ConnectionResetError:
        print("client vanished")
    writer.close()
    await writer.wait_closed()
