# Wrong: retries only server errors (5xx); a 404 or 429 is given up at once, though any non-200 must be retried.
# Expected: 7
async def crawl_book(base_url, limit):
    semaphore = asyncio.Semaphore(limit)
    toc_url = base_url + "/"

    async def get_chapter(session, url):
        for _ in range(3):
            async with semaphore, session.get(url) as response:
                if response.status == 200:
                    return PyQuery(await response.text("gbk", "ignore"))("#content").text()
                if response.status < 500:
                    return None
        return None

    async with aiohttp.ClientSession() as session:
        async with session.get(toc_url) as response:
            toc = PyQuery(await response.text("gbk", "ignore"))
        links = [(a.text(), urljoin(toc_url, a.attr("href"))) for a in toc.items("dd a")]
        texts = await asyncio.gather(*(get_chapter(session, url) for _, url in links))
    return [(title, text) for (title, _), text in zip(links, texts) if text is not None]
