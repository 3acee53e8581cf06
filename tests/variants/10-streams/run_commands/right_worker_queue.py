# Right: limit worker tasks take (index, argv) from an asyncio.Queue and store each result at its index.
# Expected: 11
async def run_commands(argv_list, limit):
    queue = asyncio.Queue()
    for item in enumerate(argv_list):
        queue.put_nowait(item)
    results = [None] * len(argv_list)

    async def worker():
        while not queue.empty():
            index, argv = queue.get_nowait()
            process = await asyncio.create_subprocess_exec(*argv, stdout=asyncio.subprocess.PIPE,
                                                           stderr=asyncio.subprocess.PIPE)
            out, err = await process.communicate()
            results[index] = (process.returncode, out.decode("utf-8"), err.decode("utf-8"))

    async with asyncio.TaskGroup() as group:
        for _ in range(limit):
            group.create_task(worker())
    return results
