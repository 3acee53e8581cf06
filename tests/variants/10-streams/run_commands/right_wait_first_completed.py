# Right: keeps limit tasks running with asyncio.wait(FIRST_COMPLETED), starting the next command whenever one ends.
# Expected: 11
async def run_one(argv):
    process = await asyncio.create_subprocess_exec(*argv, stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.PIPE)
    out, err = await process.communicate()
    return process.returncode, out.decode("utf-8"), err.decode("utf-8")


async def run_commands(argv_list, limit):
    waiting = list(argv_list)[::-1]
    tasks, running = [], set()
    while waiting or running:
        while waiting and len(running) < limit:
            task = asyncio.create_task(run_one(waiting.pop()))
            tasks.append(task)
            running.add(task)
        _, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
    return [task.result() for task in tasks]
