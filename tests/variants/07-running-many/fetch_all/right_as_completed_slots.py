# Right: as_completed with each result numbered, then put back into its slot.
# Expected: 5
async def fetch_all(urls, fetch):
    async def numbered(index, url):
        return index, await fetch(url)

    urls = list(urls)
    results = [None] * len(urls)
    for next_done in asyncio.as_completed([numbered(i, url) for i, url in enumerate(urls)]):
        index, result = await next_done
        results[index] = result
    return results
