# Wrong: no limit at all: every chapter is requested at once, whatever limit says.
# Expected: 8
async def crawl_book(base_url, limit):
    toc_url = base_url + "/"

    async def get_page(session, url):
        async with session.get(url) as response:
            if response.status != 200:
                return None
            return await response.text("gbk", "ignore")

    async def get_chapter(session, url):
        for _ in range(3):
            page = await get_page(session, url)
            if page is not None:
                return PyQuery(page)("#content").text()
        return None

    async with aiohttp.ClientSession() as session:
        links = [(a.text(), urljoin(toc_url, a.attr("href"))) for a in PyQuery(await get_page(session, toc_url)).items("dd a")]
        texts = await asyncio.gather(*(get_chapter(session, url) for _, url in links))
    return [(title, text) for (title, _), text in zip(links, texts) if text is not None]
