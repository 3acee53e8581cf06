# Wrong: catches every exception (BaseException), so cancelling the handler's task ends it as if nothing happened.
# Expected: 8
async def handle_echo(reader, writer):
    try:
        async for line in reader:
            writer.write(line)
            await writer.drain()
    except BaseException:
        pass
    finally:
        writer.close()
