# Wrong: completion order through as_completed, but no done-callbacks at all, which the exercise is about.
# Expected: 5
async def collect_with_callbacks(urls, fetch):
    async def pair(url):
        return url, await fetch(url)

    return [await next_done for next_done in asyncio.as_completed([pair(url) for url in urls])]
