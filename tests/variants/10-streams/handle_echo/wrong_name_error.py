# Wrong: a typo (wirter) that raises NameError at the first line: every check fails, and says so with the line.
# Expected: 0
async def handle_echo(reader, writer):
    while line := await reader.readline():
        wirter.write(line)
        await writer.drain()
    writer.close()
