# Wrong: decodes the output as Latin-1 (which never fails), so non-ASCII UTF-8 text comes out garbled.
# Expected: 9
async def run_commands(argv_list, limit):
    semaphore = asyncio.Semaphore(limit)

    async def run(argv):
        async with semaphore:
            process = await asyncio.create_subprocess_exec(*argv, stdout=asyncio.subprocess.PIPE,
                                                           stderr=asyncio.subprocess.PIPE)
            out, err = await process.communicate()
        return process.returncode, out.decode("latin-1"), err.decode("latin-1")

    return await asyncio.gather(*(run(argv) for argv in argv_list))
