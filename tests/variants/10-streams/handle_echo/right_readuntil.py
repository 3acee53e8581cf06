# Right: readuntil(b"\n") in a loop; IncompleteReadError marks the end of the input, and any ConnectionError a vanished client.
# Expected: 9
async def handle_echo(reader, writer):
    try:
        while True:
            try:
                line = await reader.readuntil(b"\n")
            except asyncio.IncompleteReadError:
                break  # EOF (a partial line at the end is dropped)
            writer.write(line)
            await writer.drain()
    except ConnectionError:
        return
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except ConnectionError:
            pass
