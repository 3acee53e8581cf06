# Right: a Semaphore per request, read() then decode, and exponential backoff slept outside the semaphore.
# Expected: 10
async def crawl_book(base_url, limit):
    gate = asyncio.Semaphore(limit)
    toc_url = base_url + "/"

    async def get(session, url):
        async with session.get(url) as response:
            return response.status, (await response.read()).decode("gbk", "ignore")

    async def chapter(session, title, url):
        for attempt in range(3):
            async with gate:
                status, html = await get(session, url)
            if status == 200:
                return title, PyQuery(html)("#content").text()
            await asyncio.sleep(0.05 * 2 ** attempt)  # no slot held while waiting
        return None

    async with aiohttp.ClientSession() as session:
        _, html = await get(session, toc_url)
        jobs = [chapter(session, a.text(), urljoin(toc_url, a.attr("href"))) for a in PyQuery(html).items("dd a")]
        results = await asyncio.gather(*jobs)
    return [result for result in results if result is not None]
