# Right: a BoundedSemaphore; reads both pipes at the same time with gather, then waits for the exit.
# Expected: 11
async def run_commands(argv_list, limit):
    slots = asyncio.BoundedSemaphore(limit)

    async def run(argv):
        async with slots:
            process = await asyncio.create_subprocess_exec(*argv, stdout=asyncio.subprocess.PIPE,
                                                           stderr=asyncio.subprocess.PIPE)
            out, err = await asyncio.gather(process.stdout.read(), process.stderr.read())
            returncode = await process.wait()
        return returncode, out.decode(), err.decode()

    return await asyncio.gather(*(run(argv) for argv in argv_list))
