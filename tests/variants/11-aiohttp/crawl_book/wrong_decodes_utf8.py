# Wrong: text(errors="ignore") without an encoding decodes the GBK pages as UTF-8: garbled titles and texts.
# Expected: 7
async def crawl_book(base_url, limit):
    semaphore = asyncio.Semaphore(limit)
    toc_url = base_url + "/"

    async def get_page(session, url):
        async with session.get(url) as response:
            if response.status != 200:
                return None
            return await response.text(errors="ignore")

    async def get_chapter(session, url):
        for _ in range(3):
            async with semaphore:
                page = await get_page(session, url)
            if page is not None:
                return PyQuery(page)("#content").text()
        return None

    async with aiohttp.ClientSession() as session:
        links = [(a.text(), urljoin(toc_url, a.attr("href"))) for a in PyQuery(await get_page(session, toc_url)).items("dd a")]
        texts = await asyncio.gather(*(get_chapter(session, url) for _, url in links))
    return [(title, text) for (title, _), text in zip(links, texts) if text is not None]
