# Wrong: runs each command through the shell, quoted with shlex.join: the output is right, but a shell sits in between.
# Expected: 9
import shlex


async def run_commands(argv_list, limit):
    slots = asyncio.Semaphore(limit)

    async def run(argv):
        async with slots:
            process = await asyncio.create_subprocess_shell(shlex.join(argv), stdout=asyncio.subprocess.PIPE,
                                                            stderr=asyncio.subprocess.PIPE)
            out, err = await process.communicate()
        return process.returncode, out.decode(), err.decode()

    return await asyncio.gather(*(run(argv) for argv in argv_list))
