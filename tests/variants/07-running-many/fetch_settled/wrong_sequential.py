# Wrong: catches each failure correctly, but fetches one URL after the other.
# Expected: 3
async def fetch_settled(urls, fetch):
    results = []
    for url in urls:
        try:
            results.append(await fetch(url))
        except Exception as exc:
            results.append(exc)
    return results
