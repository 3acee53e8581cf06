# Wrong: awaits one fetch after the other, so n fetches take the sum of their latencies.
# Expected: 1
async def fetch_all(urls, fetch):
    return [await fetch(url) for url in urls]
