# Wrong: no retries: a chapter that fails once is left out, though a second try would succeed.
# Expected: 7
async def crawl_book(base_url, limit):
    semaphore = asyncio.Semaphore(limit)
    toc_url = base_url + "/"

    async def get_page(session, url):
        async with semaphore, session.get(url) as response:
            if response.status != 200:
                return None
            return await response.text("gbk", "ignore")

    async with aiohttp.ClientSession() as session:
        toc = PyQuery(await get_page(session, toc_url))
        links = [(a.text(), urljoin(toc_url, a.attr("href"))) for a in toc.items("dd a")]
        pages = await asyncio.gather(*(get_page(session, url) for _, url in links))
    return [(title, PyQuery(page)("#content").text()) for (title, _), page in zip(links, pages) if page is not None]
