# Right: the session's TCPConnector(limit=limit) is the limit; a TaskGroup; a short backoff before retries.
# Expected: 10
async def crawl_book(base_url, limit):
    toc_url = base_url + "/"

    async def page(session, url):
        async with session.get(url) as response:
            if response.status == 200:
                return await response.text("gbk", "ignore")
        return None

    async def chapter(session, url):
        for attempt in range(3):
            if attempt:
                await asyncio.sleep(0.1 * 2 ** attempt)
            html = await page(session, url)
            if html is not None:
                return PyQuery(html)("#content").text()
        return None

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=limit)) as session:
        links = PyQuery(await page(session, toc_url)).items("dd a")
        chapters = [(link.text(), urljoin(toc_url, link.attr("href"))) for link in links]
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(chapter(session, url)) for _, url in chapters]
    return [(title, task.result()) for (title, _), task in zip(chapters, tasks) if task.result() is not None]
