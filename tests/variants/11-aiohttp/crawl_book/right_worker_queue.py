# Right: limit workers take chapters from a queue, reuse fetch from exercise 1, put failures back; results by index.
# Expected: 10
async def crawl_book(base_url, limit):
    toc_url = base_url + "/"
    errors = set()
    async with aiohttp.ClientSession() as session:
        toc = PyQuery(await fetch(session, toc_url, errors))
        links = [(a.text(), urljoin(toc_url, a.attr("href"))) for a in toc.items("dd a")]
        texts = [None] * len(links)
        queue = asyncio.Queue()
        for index in range(len(links)):
            queue.put_nowait((index, 1))  # (chapter, try number)

        async def worker():
            while not queue.empty():
                index, attempt = queue.get_nowait()
                page = await fetch(session, links[index][1], errors)
                if page is not None:
                    texts[index] = PyQuery(page)("#content").text()
                elif attempt < 3:
                    queue.put_nowait((index, attempt + 1))

        await asyncio.gather(*(worker() for _ in range(limit)))
    return [(title, text) for (title, _), text in zip(links, texts) if text is not None]
