# Wrong: turns the output into text with str(), which gives the bytes' repr ("b'...'") instead of decoding it.
# Expected: 6
async def run_commands(argv_list, limit):
    semaphore = asyncio.Semaphore(limit)

    async def run(argv):
        async with semaphore:
            process = await asyncio.create_subprocess_exec(*argv, stdout=asyncio.subprocess.PIPE,
                                                           stderr=asyncio.subprocess.PIPE)
            out, err = await process.communicate()
        return process.returncode, str(out), str(err)

    return await asyncio.gather(*(run(argv) for argv in argv_list))
