"""autograder.clients: aiohttp answers run against the local site, and what they did."""

from __future__ import annotations

import asyncio
from urllib.parse import urljoin

import aiohttp
import pytest
from aiohttp import web
from pyquery import PyQuery

from autograder import clients, vtime


async def fetch(session, url, errors):
    async with session.get(url) as response:
        if response.status != 200:
            errors.add(url)
            return None
        return await response.text("gbk", "ignore")


async def fetch_own_session(session, url, errors):
    async with aiohttp.ClientSession() as own:
        return await fetch(own, url, errors)


def test_ask_fetch_notes_results_requests_and_sessions():
    errors = {"earlier"}
    got = vtime.run(clients.ask_fetch, fetch, ["/chapters/1.html", "/nowhere"], errors, chapters=2).result
    assert got.results[0] == got.pages[0] and got.results[1] is None
    assert got.errors is errors and errors == {"earlier", got.urls[1]}
    assert got.requests == got.urls and got.attempts == [1, 1] and got.new_sessions == 0
    got = vtime.run(clients.ask_fetch, fetch_own_session, ["/chapters/1.html"], set(), chapters=2).result
    assert got.requests == [] and got.new_sessions == 1


async def raising_fetch(session, url, errors):
    raise ValueError("no")


def test_ask_fetch_keeps_what_fetch_raised():
    got = vtime.run(clients.ask_fetch, raising_fetch, ["/"], set(), chapters=1).result
    assert isinstance(got.results[0], ValueError)


async def crawl_book(base_url, limit):
    gate = asyncio.Semaphore(limit)
    async with aiohttp.ClientSession() as session:
        toc = PyQuery(await fetch(session, base_url + "/", set()))
        links = [(a.text(), urljoin(base_url + "/", a.attr("href"))) for a in toc.items("dd a")]

        async def chapter(url):
            async with gate:
                return PyQuery(await fetch(session, url, set()))("#content").text()

        texts = await asyncio.gather(*(chapter(url) for _, url in links))
    return [(title, text) for (title, _), text in zip(links, texts)]


async def leaves_it_open(base_url, limit):
    session = aiohttp.ClientSession()
    return await fetch(session, base_url + "/", set()) and []


def test_crawl_counts_sessions_and_closes_those_left_open():
    run = vtime.run(clients.crawl, crawl_book, 3, chapters=6)
    got = run.result
    assert got.result == clients.book(got.site) and got.sessions == 1 and got.closed == [True]
    assert got.site.max_in_flight == 3 and run.elapsed == 1.5
    run = vtime.run(clients.crawl, leaves_it_open, 3, chapters=2)
    assert run.result.sessions == 1 and run.result.closed == [False] and run.loop_errors == []


def make_app():
    stats = iter([{"id": 1}, {"id": 2}])  # a generator-like source, used up by the first request

    async def all_products(request):
        return web.json_response(list(stats))

    app = web.Application()
    app.router.add_get("/products", all_products)
    return app


def test_ask_app_asks_one_app_from_one_client():
    answers = vtime.run(clients.ask_app, make_app, ["/products", "/products", "/nothing"]).result
    assert answers[0] == (200, "application/json", '[{"id": 1}, {"id": 2}]')
    assert answers[1] == (200, "application/json", "[]")
    assert answers[2][0] == 404


def test_as_json_says_what_answered_something_else():
    assert clients.as_json('[1, "二"]', "GET /x") == [1, "二"]
    with pytest.raises(AssertionError, match="GET /x: the body is not JSON: 'nope'"):
        clients.as_json("nope", "GET /x")
