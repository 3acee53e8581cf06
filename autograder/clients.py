"""Chapter 11's checks: an answer's aiohttp code run against local servers, and what it did.

Everything here runs on the loop that ``vtime.run`` runs, with :class:`site.NovelSite` on the
same loop, so the site's latencies are virtual and exact.

- :func:`sessions_opened` notes every ``aiohttp.ClientSession`` created within a block, and
  :func:`close_all` closes those an answer left open (so no "Unclosed client session" comes
  later, in another cell).
- :func:`ask_fetch` awaits an answer's ``fetch(session, url, errors)`` for a few pages, with a
  session of its own, and notes the requests that session sent and the sessions ``fetch``
  opened; :func:`crawl` awaits ``crawl_book(site.url, limit)`` and notes its sessions;
  :func:`book` is what a crawl of the whole site returns.
- :func:`ask_app` serves an answer's ``make_app()`` with ``TestServer`` and GETs paths with
  one ``TestClient``, as chapter 11's lesson does; :func:`as_json` reads a body it got.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, NamedTuple

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from autograder import site


@contextlib.contextmanager
def sessions_opened() -> Iterator[list[aiohttp.ClientSession]]:
    """Within the block, every ``aiohttp.ClientSession`` created (by anyone), in order."""
    opened: list[aiohttp.ClientSession] = []
    original = aiohttp.ClientSession.__init__

    @functools.wraps(original)
    def noting_init(self: aiohttp.ClientSession, *args: Any, **kwargs: Any) -> None:
        opened.append(self)
        original(self, *args, **kwargs)

    aiohttp.ClientSession.__init__ = noting_init  # type: ignore[method-assign]
    try:
        yield opened
    finally:
        aiohttp.ClientSession.__init__ = original  # type: ignore[method-assign]


async def close_all(sessions: list[aiohttp.ClientSession]) -> None:
    """Close the sessions an answer left open."""
    for session in sessions:
        if not getattr(session, "closed", True):
            await session.close()


class Fetched(NamedTuple):
    """What :func:`ask_fetch` saw, one item per path where it is a list."""

    urls: list[str]  # the URLs fetch was given
    results: list[Any]  # what each call returned, or the exception it raised
    errors: Any  # the set that was given to every call
    requests: list[str]  # the URLs that the given session sent requests for, in order
    attempts: list[int]  # the requests the site saw for each path
    pages: list[str]  # each URL's body decoded as GBK, bytes that are not GBK left out
    new_sessions: int  # the ClientSessions fetch created


async def ask_fetch(fetch: Callable[..., Awaitable[Any]], paths: list[str], errors: Any,
                    **site_options: Any) -> Fetched:
    """Serve ``NovelSite(**site_options)`` and await ``fetch(session, url, errors)`` for each
    path in turn, with one session of its own and the given set."""
    __tracebackhide__ = True
    sent: list[str] = []

    async def note(session: aiohttp.ClientSession, context: Any, params: aiohttp.TraceRequestStartParams) -> None:
        sent.append(str(params.url))

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(note)
    async with site.NovelSite(**site_options) as novel, aiohttp.ClientSession(trace_configs=[trace]) as session:
        urls = [novel.url + path for path in paths]
        with sessions_opened() as opened:
            results: list[Any] = []
            try:
                for url in urls:
                    try:
                        results.append(await fetch(session, url, errors))
                    except Exception as exc:  # noqa: BLE001 - a check says what was raised
                        results.append(exc)
            finally:
                await close_all(opened)
        requests, attempts = list(sent), [novel.attempts(path) for path in paths]
        pages = []
        for url in urls:
            async with session.get(url) as response:
                pages.append((await response.read()).decode(site.ENCODING, "ignore"))
    return Fetched(urls, results, errors, requests, attempts, pages, len(opened))


class Crawled(NamedTuple):
    """What :func:`crawl` saw."""

    site: site.NovelSite  # with its calls
    result: Any  # what crawl_book returned
    sessions: int  # the ClientSessions crawl_book created
    closed: list[bool]  # whether each was closed when crawl_book returned


async def crawl(crawl_book: Callable[[str, int], Awaitable[Any]], limit: int, **site_options: Any) -> Crawled:
    """Serve ``NovelSite(**site_options)`` and await ``crawl_book(site.url, limit)``; then close
    any session it left open."""
    __tracebackhide__ = True
    async with site.NovelSite(**site_options) as novel:
        with sessions_opened() as opened:
            try:
                result = await crawl_book(novel.url, limit)
            finally:
                closed = [bool(getattr(session, "closed", False)) for session in opened]
                await close_all(opened)
    return Crawled(novel, result, len(opened), closed)


def as_json(text: str, what: str) -> Any:
    """``json.loads(text)``, or an AssertionError that says ``what`` answered something else."""
    __tracebackhide__ = True
    try:
        return json.loads(text)
    except ValueError:
        raise AssertionError(f"{what}: the body is not JSON: {text!r:.200}") from None


def book(novel: site.NovelSite) -> list[tuple[str, str]]:
    """What ``crawl_book`` returns when every chapter of ``novel`` succeeds."""
    return [(chapter.title, chapter.text) for chapter in novel.chapters]


async def ask_app(make_app: Callable[[], Any], paths: list[str]) -> list[tuple[int, str, str]]:
    """Serve ``make_app()`` with a ``TestServer`` and GET each path in turn with one
    ``TestClient``: ``(status, content type, body text)`` for each."""
    __tracebackhide__ = True
    app = make_app()
    if not isinstance(app, web.Application):
        raise AssertionError(f"make_app() must return a web.Application, not {type(app).__name__}")
    answers = []
    async with TestClient(TestServer(app)) as client:
        for path in paths:
            async with client.get(path) as response:
                answers.append((response.status, response.content_type, await response.text()))
    return answers
