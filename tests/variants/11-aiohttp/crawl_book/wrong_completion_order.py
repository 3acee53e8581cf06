# Wrong: collects chapters with as_completed, so the book comes out in the order the pages arrived.
# Expected: 7
async def crawl_book(base_url, limit):
    semaphore = asyncio.Semaphore(limit)
    toc_url = base_url + "/"

    async def get_page(session, url):
        async with session.get(url) as response:
            if response.status != 200:
                return None
            return await response.text("gbk", "ignore")

    async def get_chapter(session, title, url):
        for _ in range(3):
            async with semaphore:
                page = await get_page(session, url)
            if page is not None:
                return title, PyQuery(page)("#content").text()
        return None

    async with aiohttp.ClientSession() as session:
        links = PyQuery(await get_page(session, toc_url)).items("dd a")
        jobs = [get_chapter(session, a.text(), urljoin(toc_url, a.attr("href"))) for a in links]
        book = [chapter for job in asyncio.as_completed(jobs) if (chapter := await job) is not None]
    return book
