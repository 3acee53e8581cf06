# Wrong: the source article's one-shot handler: reads once, answers, closes, so later lines get no reply.
# Expected: 4
async def handle_echo(reader, writer):
    data = await reader.read(2048)
    writer.write(data)
    await writer.drain()
    writer.close()
