# Right: an explicit loop that stops on an empty read; closes the writer without awaiting wait_closed.
# Expected: 9
async def handle_echo(reader, writer):
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            writer.write(line)
            await writer.drain()
    except (ConnectionResetError, BrokenPipeError):
        pass
    writer.close()
