# Wrong: subprocess.run in worker threads (asyncio.to_thread) under a semaphore: right results, but threads of its own do the waiting.
# Expected: 9
import subprocess


async def run_commands(argv_list, limit):
    slots = asyncio.Semaphore(limit)

    async def run(argv):
        async with slots:
            done = await asyncio.to_thread(subprocess.run, argv, capture_output=True)
        return done.returncode, done.stdout.decode(), done.stderr.decode()

    return list(await asyncio.gather(*(run(argv) for argv in argv_list)))
