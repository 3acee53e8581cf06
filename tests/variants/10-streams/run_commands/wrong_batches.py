# Wrong: runs the commands in batches of limit, so each batch waits for its slowest process while others could start.
# Expected: 8
async def run_commands(argv_list, limit):
    async def run(argv):
        process = await asyncio.create_subprocess_exec(*argv, stdout=asyncio.subprocess.PIPE,
                                                       stderr=asyncio.subprocess.PIPE)
        out, err = await process.communicate()
        return process.returncode, out.decode(), err.decode()

    results = []
    for start in range(0, len(argv_list), limit):
        results += await asyncio.gather(*(run(argv) for argv in argv_list[start:start + limit]))
    return results
