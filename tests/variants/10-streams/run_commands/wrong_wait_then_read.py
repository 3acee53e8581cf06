# Wrong: waits for the process to exit before reading its pipes: a child with more output than the pipes hold never exits.
# Expected: 8
async def run_commands(argv_list, limit):
    semaphore = asyncio.Semaphore(limit)

    async def run(argv):
        async with semaphore:
            process = await asyncio.create_subprocess_exec(*argv, stdout=asyncio.subprocess.PIPE,
                                                           stderr=asyncio.subprocess.PIPE)
            returncode = await process.wait()
            out = await process.stdout.read()
            err = await process.stderr.read()
        return returncode, out.decode(), err.decode()

    return await asyncio.gather(*(run(argv) for argv in argv_list))
