# Wrong: starts every command at once and ignores the limit.
# Expected: 8
async def run_commands(argv_list, limit):
    async def run(argv):
        process = await asyncio.create_subprocess_exec(*argv, stdout=asyncio.subprocess.PIPE,
                                                       stderr=asyncio.subprocess.PIPE)
        out, err = await process.communicate()
        return process.returncode, out.decode(), err.decode()

    return await asyncio.gather(*(run(argv) for argv in argv_list))
