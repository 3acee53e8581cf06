# Right: a TaskGroup whose tasks catch their own failures, so none of them cancels the group.
# Expected: 5
async def fetch_settled(urls, fetch):
    async def settle(url):
        try:
            return await fetch(url)
        except Exception as exc:
            return exc

    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(settle(url)) for url in urls]
    return [task.result() for task in tasks]
