# Wrong: the gather made sequential: each command is awaited before the next starts, so only one runs at a time.
# Expected: 8
async def run_commands(argv_list, limit):
    results = []
    for argv in argv_list:
        process = await asyncio.create_subprocess_exec(*argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await process.communicate()
        results.append((process.returncode, out.decode("utf-8"), err.decode("utf-8")))
    return results
