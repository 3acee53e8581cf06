# Wrong: the seeds' loop, awaiting each chapter before the next: never more than one in flight, whatever limit says.
# Expected: 7
async def crawl_book(base_url, limit):
    semaphore = asyncio.Semaphore(limit)
    toc_url = base_url + "/"

    async def get_page(session, url):
        async with semaphore, session.get(url) as response:
            if response.status != 200:
                return None
            return await response.text("gbk", "ignore")

    book = []
    async with aiohttp.ClientSession() as session:
        for a in PyQuery(await get_page(session, toc_url)).items("dd a"):
            for _ in range(3):
                page = await get_page(session, urljoin(toc_url, a.attr("href")))
                if page is not None:
                    book.append((a.text(), PyQuery(page)("#content").text()))
                    break
    return book
