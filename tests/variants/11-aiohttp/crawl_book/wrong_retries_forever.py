# Wrong: retries a failing chapter until it succeeds, so a broken page is requested forever.
# Expected: 7
async def crawl_book(base_url, limit):
    semaphore = asyncio.Semaphore(limit)
    toc_url = base_url + "/"

    async def get_page(session, url):
        async with session.get(url) as response:
            if response.status != 200:
                return None
            return await response.text("gbk", "ignore")

    async def get_chapter(session, url):
        while True:
            async with semaphore:
                page = await get_page(session, url)
            if page is not None:
                return PyQuery(page)("#content").text()

    async with aiohttp.ClientSession() as session:
        links = [(a.text(), urljoin(toc_url, a.attr("href"))) for a in PyQuery(await get_page(session, toc_url)).items("dd a")]
        texts = await asyncio.gather(*(get_chapter(session, url) for _, url in links))
    return list(zip([title for title, _ in links], texts))
