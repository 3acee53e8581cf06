# Right: async for over the reader (it stops at EOF), inside contextlib.suppress(ConnectionError), closing with a helper.
# Expected: 9
async def close_quietly(writer):
    writer.close()
    with contextlib.suppress(ConnectionError):
        await writer.wait_closed()


async def handle_echo(reader, writer):
    with contextlib.suppress(ConnectionError):
        async for line in reader:
            writer.write(line)
            await writer.drain()
    await close_quietly(writer)
