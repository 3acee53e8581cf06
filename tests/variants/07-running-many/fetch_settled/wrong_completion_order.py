# Wrong: settles every fetch concurrently, but lists them in completion order.
# Expected: 2
async def fetch_settled(urls, fetch):
    async def settle(url):
        try:
            return await fetch(url)
        except Exception as exc:
            return exc

    return [await next_done for next_done in asyncio.as_completed([settle(url) for url in urls])]
