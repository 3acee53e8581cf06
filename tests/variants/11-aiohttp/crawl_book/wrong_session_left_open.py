# Wrong: creates the session but never closes it ("Unclosed client session" when it is collected).
# Expected: 8
async def crawl_book(base_url, limit):
    semaphore = asyncio.Semaphore(limit)
    toc_url = base_url + "/"
    session = aiohttp.ClientSession()

    async def get_page(url):
        async with session.get(url) as response:
            if response.status != 200:
                return None
            return await response.text("gbk", "ignore")

    async def get_chapter(url):
        for _ in range(3):
            async with semaphore:
                page = await get_page(url)
            if page is not None:
                return PyQuery(page)("#content").text()
        return None

    links = [(a.text(), urljoin(toc_url, a.attr("href"))) for a in PyQuery(await get_page(toc_url)).items("dd a")]
    texts = await asyncio.gather(*(get_chapter(url) for _, url in links))
    return [(title, text) for (title, _), text in zip(links, texts) if text is not None]
