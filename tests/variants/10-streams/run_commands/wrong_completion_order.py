# Wrong: collects the results with as_completed, in the order the processes finish.
# Expected: 9
async def run_commands(argv_list, limit):
    semaphore = asyncio.Semaphore(limit)

    async def run(argv):
        async with semaphore:
            process = await asyncio.create_subprocess_exec(*argv, stdout=asyncio.subprocess.PIPE,
                                                           stderr=asyncio.subprocess.PIPE)
            out, err = await process.communicate()
        return process.returncode, out.decode(), err.decode()

    tasks = [asyncio.create_task(run(argv)) for argv in argv_list]
    return [await result for result in asyncio.as_completed(tasks)]
