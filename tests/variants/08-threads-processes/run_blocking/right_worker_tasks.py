# Right: max_workers worker tasks take (index, args) pairs from a queue and store each result in its slot.
# Expected: 9
async def run_blocking(func, args_list, max_workers):
    todo = asyncio.Queue()
    for item in enumerate(args_list):
        todo.put_nowait(item)
    results = [None] * len(args_list)

    async def worker():
        while not todo.empty():
            index, args = todo.get_nowait()
            results[index] = await asyncio.to_thread(func, *args)

    async with asyncio.TaskGroup() as group:
        for _ in range(max_workers):
            group.create_task(worker())
    return results
