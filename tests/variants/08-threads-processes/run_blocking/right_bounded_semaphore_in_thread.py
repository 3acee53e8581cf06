# Right: every call goes to asyncio.to_thread at once, and a threading.BoundedSemaphore inside the worker thread lets max_workers into func.
# Expected: 9
import threading


async def run_blocking(func, args_list, max_workers):
    slots = threading.BoundedSemaphore(max_workers)

    def limited(args):
        with slots:
            return func(*args)

    return await asyncio.gather(*(asyncio.to_thread(limited, args) for args in args_list))
