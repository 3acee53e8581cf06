# Wrong: starts every process first and only limits how many are read at once: all of them are alive together.
# Expected: 8
async def run_commands(argv_list, limit):
    semaphore = asyncio.Semaphore(limit)

    async def run(argv):
        process = await asyncio.create_subprocess_exec(*argv, stdout=asyncio.subprocess.PIPE,
                                                       stderr=asyncio.subprocess.PIPE)
        async with semaphore:
            out, err = await process.communicate()
        return process.returncode, out.decode(), err.decode()

    return await asyncio.gather(*(run(argv) for argv in argv_list))
