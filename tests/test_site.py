"""autograder.site: the novel site and serving(), on virtual time, with aiohttp as the client."""

from __future__ import annotations

import asyncio
import math
from urllib.parse import urljoin

import aiohttp
import pytest
from pyquery import PyQuery

from autograder import site, vtime


async def get(session, url):
    async with session.get(url) as response:
        return response.status, await response.read()


async def crawl(limit, **options):
    """A correct crawler: returns the site, what it got per chapter, and the elapsed time."""
    async with site.NovelSite(**options) as novel, aiohttp.ClientSession() as session:
        status, toc = await get(session, novel.url + "/")
        links = [(PyQuery(a).text(), a.get("href")) for a in PyQuery(toc.decode("gbk", "ignore"))("dd a")]
        gate = asyncio.Semaphore(limit)

        async def chapter(href):
            async with gate:
                status, page = await get(session, urljoin(novel.url + "/", href))
                return PyQuery(page.decode("gbk", "ignore"))("#content").text() if status == 200 else status

        texts = await asyncio.gather(*(chapter(href) for _, href in links))
        return novel, [title for title, _ in links], texts


@pytest.mark.parametrize("limit", [1, 3, 10])
def test_a_crawl_takes_exactly_ceil_chapters_over_limit_latencies(limit):
    run = vtime.run(crawl, limit, chapters=12, latency=0.5)
    novel, titles, texts = run.result
    assert titles == [c.title for c in novel.chapters]
    assert texts == [c.text for c in novel.chapters]
    assert run.elapsed == 0.5 + math.ceil(12 / limit) * 0.5  # the table of contents, then the chapters
    assert novel.max_in_flight == limit
    assert novel.idle_moments(limit) == ([] if limit == 1 else [(0.0, 1)])  # only the table of contents
    assert run.pending == [] and run.loop_errors == [] and run.logs == []


def test_links_are_from_the_root_as_on_the_real_site():
    async def toc():
        async with site.NovelSite(chapters=3) as novel, aiohttp.ClientSession() as session:
            status, page = await get(session, novel.url + "/")
            return novel, [a.get("href") for a in PyQuery(page.decode("gbk", "ignore"))("dd a")]

    novel, hrefs = vtime.run(toc).result
    assert hrefs == ["/chapters/1.html", "/chapters/2.html", "/chapters/3.html"]
    assert [c.href for c in novel.chapters] == hrefs
    assert novel.chapter_url(2) == urljoin(novel.url + "/", hrefs[1]) == novel.url + hrefs[1]


async def seed_crawler(domain):
    """Seed 003's crawler (section 4.3.1) as printed, with only its host changed: one chapter
    after another, a Semaphore(3) around each request, the domain glued to each href."""
    error_urls = set()
    sem = asyncio.Semaphore(3)

    async def fetch(session, url):
        async with sem:
            async with session.get(url) as response:
                if response.status == 200:
                    return await response.text("gbk", "ignore")
                error_urls.add(url)

    async def get_text(session, url):
        if not url.startswith(domain):
            url = domain + url
        return PyQuery(await fetch(session, url))("#content").text()

    texts = []
    async with aiohttp.ClientSession() as session:
        for item in PyQuery(await fetch(session, domain + "/")).items("dd a"):
            texts.append((item.text(), await get_text(session, item.attr("href"))))
    return texts, error_urls


def test_the_articles_crawler_runs_against_it_with_only_the_host_changed():
    async def crawl_with_the_seed():
        async with site.NovelSite(chapters=6) as novel:
            return novel, await seed_crawler(novel.url)

    run = vtime.run(crawl_with_the_seed)
    novel, (texts, error_urls) = run.result
    assert texts == [(c.title, c.text) for c in novel.chapters] and error_urls == set()
    assert novel.max_in_flight == 1  # one chapter after another: its Semaphore(3) never engages
    assert run.elapsed == 0.5 * 7


def test_pages_are_gbk_with_a_stray_byte_and_no_charset():
    async def fetch_raw():
        async with site.NovelSite(chapters=2) as novel, aiohttp.ClientSession() as session:
            async with session.get(novel.chapter_url(1)) as response:
                return novel, response.headers["Content-Type"], await response.read()

    novel, content_type, page = vtime.run(fetch_raw).result
    assert content_type == "text/html"
    assert site.NOT_GBK in page
    with pytest.raises(UnicodeDecodeError):
        page.decode("gbk")
    with pytest.raises(UnicodeDecodeError):
        page.decode("utf-8")
    assert PyQuery(page.decode("gbk", "ignore"))("#content").text() == novel.chapters[0].text
    assert "第1章" in novel.chapters[0].title and "At dawn" in novel.chapters[0].text


def test_every_page_has_characters_that_gb2312_lacks():
    async def pages():
        async with site.NovelSite(chapters=5) as novel, aiohttp.ClientSession() as session:
            return [(await get(session, novel.url + path))[1] for path in ["/", *(c.href for c in novel.chapters)]]

    for page in vtime.run(pages).result:
        assert page.decode("gb2312", "ignore") != page.decode("gbk", "ignore")
    for name in site.NAMES:
        with pytest.raises(UnicodeEncodeError):
            name.encode("gb2312")


def test_failing_broken_and_rate_limited_pages():
    async def ask(novel_options, paths):
        async with site.NovelSite(chapters=3, **novel_options) as novel, aiohttp.ClientSession() as session:
            statuses = [await get(session, novel.url + path) for path in paths]
            return novel, [status for status, _ in statuses]

    novel, statuses = vtime.run(ask, {"fail_first": {"/chapters/2.html": 2}}, ["/chapters/2.html"] * 3).result
    assert statuses == [500, 500, 200] and novel.attempts("/chapters/2.html") == 3
    novel, statuses = vtime.run(ask, {"broken": {"/chapters/3.html": 404}}, ["/chapters/3.html", "/nope"]).result
    assert statuses == [404, 404] and novel.keys() == ["/chapters/3.html", "/nope"]

    async def all_at_once():
        async with site.NovelSite(chapters=6, max_in_flight=2) as novel, aiohttp.ClientSession() as session:
            statuses = await asyncio.gather(*(get(session, novel.chapter_url(n)) for n in range(1, 7)))
            return novel, sorted(status for status, _ in statuses)

    novel, statuses = vtime.run(all_at_once).result
    assert statuses == [200, 200, 429, 429, 429, 429] and novel.max_in_flight == 2


def test_a_2xx_status_other_than_200_still_sends_the_page_except_204():
    async def ask():
        broken = {"/chapters/1.html": 203, "/chapters/2.html": 204}
        async with site.NovelSite(chapters=3, broken=broken) as novel, aiohttp.ClientSession() as session:
            return novel, [await get(session, novel.chapter_url(n)) for n in (1, 2, 3)]

    novel, answers = vtime.run(ask).result
    assert [status for status, _ in answers] == [203, 204, 200]
    assert PyQuery(answers[0][1].decode("gbk", "ignore"))("#content").text() == novel.chapters[0].text
    assert answers[1][1] == b""


def test_leaving_the_block_lets_requests_in_flight_finish_then_stops(capsys):
    async def leave_early():
        async with aiohttp.ClientSession() as session:
            async with site.NovelSite(chapters=2, latency=5) as novel:
                request = asyncio.create_task(get(session, novel.chapter_url(1)))
                await asyncio.sleep(1)
            status, _ = await request
            with pytest.raises(aiohttp.ClientConnectionError):
                await get(session, novel.chapter_url(2))
        return status, novel.calls[0].outcome, novel.calls[0].end

    run = vtime.run(leave_early)
    assert run.result == (200, "200", 5.0) and run.pending == [] and run.loop_errors == []
    assert capsys.readouterr().err == ""


def test_serving_runs_a_stream_handler_and_closes_every_connection():
    async def shout(reader, writer):
        while line := await reader.readline():
            writer.write(line.upper())
            await writer.drain()
        writer.close()

    async def talk():
        async with site.serving(shout) as (host, port):
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(b"hello\n")
            reply = await reader.readline()
        left = await reader.read()  # the server closed the connection when the block ended
        writer.close()
        await writer.wait_closed()
        return reply, left

    run = vtime.run(talk)
    assert run.result == (b"HELLO\n", b"") and run.loop_errors == [] and run.pending == []


def test_serving_closes_a_connection_its_handler_left_open():
    async def forgetful(reader, writer):
        writer.write(await reader.readline())  # returns without closing the writer

    async def talk():
        async with site.serving(forgetful) as (host, port):
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(b"hello\n")
            reply = await reader.readline()
            await asyncio.sleep(1)  # the handler has returned; its connection is still open
        left = await reader.read()
        writer.close()
        return reply, left

    run = vtime.run(talk)  # on 3.12+, wait_closed() would wait for that connection forever
    assert run.result == (b"hello\n", b"") and run.loop_errors == [] and run.pending == []


async def crawl_with_retries(limit, pause, pause_holds_the_slot, **options):
    """A crawler that tries each chapter 3 times, pausing before a retry, inside or outside
    its slot."""
    async with site.NovelSite(**options) as novel, aiohttp.ClientSession() as session:
        status, toc = await get(session, novel.url + "/")
        urls = [urljoin(novel.url + "/", a.get("href")) for a in PyQuery(toc.decode("gbk", "ignore"))("dd a")]
        gate = asyncio.Semaphore(limit)

        async def holding(url):
            async with gate:
                for attempt in range(3):
                    if attempt:
                        await asyncio.sleep(pause)
                    if (await get(session, url))[0] == 200:
                        return

        async def releasing(url):
            for attempt in range(3):
                if attempt:
                    await asyncio.sleep(pause)
                async with gate:
                    if (await get(session, url))[0] == 200:
                        return

        await asyncio.gather(*(holding(url) if pause_holds_the_slot else releasing(url) for url in urls))
        return novel


RETRIES = dict(chapters=9, fail_first={"/chapters/2.html": 1, "/chapters/3.html": 2},
               broken={"/chapters/6.html": 404})


@pytest.mark.parametrize("pause", [0, 1])
def test_idle_slots_sees_a_slot_held_through_a_pause_and_nothing_else(pause):
    released = vtime.run(crawl_with_retries, 3, pause, False, **RETRIES).result
    assert released.idle_slots(3) == []
    held = vtime.run(crawl_with_retries, 3, pause, True, **RETRIES).result
    retrying = ["/chapters/2.html", "/chapters/3.html"]  # both failed at 1.0 s
    assert released.pausing_at(1.0) == retrying  # in a pause, or queued behind the chapters waiting
    if pause:
        assert held.idle_slots(3)[0] == (1.0, 1)  # chapters 2 and 3 sat on their slots
        assert held.pausing_at(1.0) == retrying
    else:
        assert held.idle_slots(3) == []  # an immediate retry in the same slot leaves none idle
        assert held.pausing_at(1.0) == []
    assert held.pausing_at(0.5) == [] and released.pausing_at(100) == []


def test_idle_slots_sees_batches_and_one_at_a_time():
    async def batches(limit):
        async with site.NovelSite(chapters=6, latency={"/chapters/1.html": 1.0}) as novel, \
                aiohttp.ClientSession() as session:
            await get(session, novel.url + "/")
            for first in range(1, 7, limit):
                await asyncio.gather(*(get(session, novel.chapter_url(n)) for n in range(first, first + limit)))
            return novel

    novel = vtime.run(batches, 3).result
    assert novel.idle_slots(3) == [(1.0, 1)]  # chapters 2 and 3 ended at 1.0 s, only chapter 1 still ran
    novel = vtime.run(crawl, 1, chapters=3).result[0]
    assert novel.idle_slots(1) == [] and novel.idle_slots(2) != []
