"""The local internet: servers on 127.0.0.1 for the streams and aiohttp chapters.

Every server here runs as tasks on the loop that is running when it starts, so a lesson or
a test starts it in one line, inside the coroutine it runs, and it stops cleanly when the
``async with`` block ends. Server and client then share one loop: on ``vtime.run``'s
virtual time (the default), a page that takes 0.5 s to serve costs 0.5 virtual seconds and
no real ones, and "twelve pages at three at a time take 4 s" is exact. (I/O between two
ends of one loop shows up at once, so looptime never jumps ahead of it.)

- :class:`NovelSite` re-creates the novel site of the source articles: a table of contents
  at ``/`` whose chapter links are ``dd a`` elements with hrefs from the site's root (as
  the real site's were, so the articles' crawler runs against it with only its host
  changed), and chapter pages whose text is in ``#content``, GBK-encoded with no charset in
  ``Content-Type``, with characters that GBK has and GB2312 lacks (names, as on real novel
  sites). Latency, failures and a rate limit are set per page, and every request is
  recorded (:class:`probes.Recorder`).
- :func:`serving` starts any ``asyncio.start_server`` handler on a free port and closes it,
  and every connection, when the block ends.

The source articles' line server and JSON-over-HTTP server are not here: chapter 10's
lesson builds them, and its exercises are versions of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Mapping
from dataclasses import dataclass
from html import escape

from aiohttp import web
from pyquery import PyQuery

from autograder.probes import Recorder

HOST = "127.0.0.1"
ENCODING = "gbk"
#: Bytes that are not GBK: a page decoded without ``errors="ignore"`` fails on them.
NOT_GBK = b"\xff"
#: Colours for ``timeline.plot(site.calls, colors=NovelSite.COLORS)``: one per status.
COLORS = {"200": "tab:blue", "404": "tab:red", "500": "tab:purple", "429": "tab:orange"}


@dataclass(frozen=True)
class Chapter:
    """One chapter of the book: its title, its link in the table of contents, its text.

    ``text`` is exactly what ``PyQuery(page)("#content").text()`` gives for the page
    decoded with ``errors="ignore"`` (the bytes that are not GBK dropped).
    """

    title: str
    href: str
    text: str


_WORDS_ZH = ["江湖", "少年", "长剑", "明月", "客栈", "山门", "秘籍", "风雪", "师父", "小镇", "旧友", "夜雨"]
#: Characters' names with characters that GBK has and GB2312 lacks (喆, 堃, 趙, 昇, 陳, 玥):
#: a page decoded as GB2312 loses them, as it would on a real novel site.
NAMES = ["李喆", "王堃", "趙昇", "陳玥"]
_WORDS_EN = ["the river", "a stranger", "the old inn", "the north road", "a letter", "the bell",
             "the mountain gate", "a lantern", "the market", "the ferry"]


def make_book(chapters: int = 24, *, seed: int = 3) -> list[tuple[str, list[str]]]:
    """``(title, paragraphs)`` for each chapter: generated filler, Chinese and English; the
    first paragraph of each chapter names one of :data:`NAMES`."""
    rng = random.Random(seed)
    book = []
    for n in range(1, chapters + 1):
        title = f"第{n}章 {rng.choice(_WORDS_ZH)}{rng.choice(_WORDS_ZH)} ({rng.choice(_WORDS_EN)})"
        paragraphs = [
            f"{rng.choice(_WORDS_ZH)}{rng.choice(_WORDS_ZH)}，{rng.choice(_WORDS_ZH)}。"
            f" At dawn {rng.choice(_WORDS_EN)} met {rng.choice(_WORDS_EN)}."
            for _ in range(rng.randint(2, 4))
        ]
        paragraphs[0] = f"{NAMES[(n - 1) % len(NAMES)]}：{paragraphs[0]}"
        book.append((title, paragraphs))
    return book


def _page(title: str, body: str) -> bytes:
    html = (f"<!DOCTYPE html>\n<html><head><title>{escape(title)}</title></head>\n"
            f"<body>\n{body}\n</body></html>\n")
    return html.encode(ENCODING)


class NovelSite(Recorder):
    """A novel site on 127.0.0.1, served by aiohttp: ``async with NovelSite() as site:``.

    ``site.url`` is the base URL (``http://127.0.0.1:<port>``); the table of contents is at
    ``site.url + "/"``, chapter ``n`` at ``site.url + "/chapters/<n>.html"``, and its link in
    the table of contents is that path from the site's root, ``/chapters/<n>.html``, as on
    the real site (``urljoin(site.url + "/", href)`` resolves it, and so does the articles'
    ``site.url + href``). ``site.chapters`` lists the :class:`Chapter` objects in
    table-of-contents order, for checking what a crawler got.

    Per page (keyed by path, e.g. ``"/chapters/3.html"``): ``latency`` (one number of
    seconds, or a mapping with ``default_latency`` for the rest), ``fail_first`` (the first
    ``n`` requests answer 500, later ones 200), ``broken`` (always that status, e.g. 404; a
    2xx status other than 200 still sends the page, except 204, which has no body).
    ``max_in_flight`` (None: no limit) answers 429 at once to a request that arrives while
    that many are being served. Every request is recorded in ``calls`` (key: the path;
    outcome: the status as a string), with ``max_in_flight`` and the rest of
    :class:`probes.Recorder`; ``attempts(path)`` counts the requests for one path,
    ``idle_slots(limit)`` lists the moments a crawler left a slot unused, and
    ``pausing_at(t)`` the pages that were waiting to be tried again.
    Leaving the block lets the requests in flight finish (aiohttp's graceful shutdown, on
    the loop's clock), then closes the server and its connections.
    """

    def __init__(
        self,
        chapters: int = 24,
        *,
        latency: float | Mapping[str, float] = 0.5,
        default_latency: float = 0.5,
        fail_first: Mapping[str, int] | None = None,
        broken: Mapping[str, int] | None = None,
        max_in_flight: int | None = None,
        title: str = "风雪客栈 (The Inn in the Snow)",
    ) -> None:
        super().__init__()
        self.title = title
        self._latency = latency
        self._default_latency = default_latency
        self._fail_first = dict(fail_first or {})
        self._broken = dict(broken or {})
        self._limit = max_in_flight
        self._pages: dict[str, bytes] = {}
        self.chapters: list[Chapter] = []
        for n, (chapter_title, paragraphs) in enumerate(make_book(chapters), start=1):
            self._add_chapter(n, chapter_title, paragraphs)
        links = "\n".join(f'<dd><a href="{c.href}">{escape(c.title)}</a></dd>' for c in self.chapters)
        self._pages["/"] = _page(title, f'<div id="info"><h1>{escape(title)}</h1><p>作者：{NAMES[0]}</p></div>\n'
                                        f'<div id="list"><dl><dt>正文</dt>\n{links}\n</dl></div>')
        self._runner: web.AppRunner | None = None
        self.url = ""

    def _add_chapter(self, n: int, title: str, paragraphs: list[str]) -> None:
        href = f"/chapters/{n}.html"
        body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        page = _page(title, f'<div class="bookname"><h1>{escape(title)}</h1></div>\n'
                            f'<div id="content">\n{body}\n</div>')
        # A stray byte that is not GBK in the middle of the text, as on the real site.
        cut = page.index(b"</p>")
        page = page[:cut] + NOT_GBK + page[cut:]
        self._pages[href] = page
        text = PyQuery(page.decode(ENCODING, "ignore"))("#content").text()
        self.chapters.append(Chapter(title, href, text))

    def latency(self, path: str) -> float:
        if isinstance(self._latency, Mapping):
            return self._latency.get(path, self._default_latency)
        return self._latency

    def attempts(self, path: str) -> int:
        return sum(call.key == path for call in self.calls)

    def chapter_url(self, n: int) -> str:
        """The absolute URL of chapter ``n`` (1-based)."""
        return self.url + self.chapters[n - 1].href

    def idle_slots(self, limit: int) -> list[tuple[float, int]]:
        """``(time, chapter requests in flight)`` at each start or end of a chapter request,
        from the moment the table of contents came back until the last chapter's first
        request started, when fewer than ``limit`` were in flight: ``[]`` for a crawler that
        keeps ``limit`` requests going while chapters wait for their turn. A slot held
        through a pause (a retry's backoff, say) shows here; a pause outside the slot does
        not, since a waiting chapter takes the slot meanwhile."""
        toc_end = min((call.end for call in self.calls if call.key == "/" and call.end is not None), default=0.0)
        chapters = [call for call in self.calls if call.key != "/"]
        firsts: dict[Hashable, float] = {}
        for call in chapters:
            firsts.setdefault(call.key, call.start)
        last_first = max(firsts.values(), default=0.0)
        moments = sorted({t for call in chapters for t in (call.start, call.end)
                          if t is not None and toc_end <= t < last_first})
        running = [(t, sum(c.start <= t and (c.end is None or t < c.end) for c in chapters)) for t in moments]
        return [(t, n) for t, n in running if n < limit]

    def pausing_at(self, when: float) -> list[Hashable]:
        """The pages that, at loop time ``when``, are between a request that failed (not 200)
        and their next request: waiting to be tried again, in a pause or in a queue. (A retry
        that starts at the very moment its failure ends does not count.)"""
        pausing = []
        for key in dict.fromkeys(call.key for call in self.calls):
            own = [call for call in self.calls if call.key == key and call.end is not None]
            failed = [call.end for call in own if call.outcome != "200" and call.end <= when]
            if failed and any(call.start > when for call in own) and not any(
                    max(failed) <= call.start <= when for call in own):
                pausing.append(key)
        return pausing

    async def _serve(self, request: web.Request) -> web.Response:
        path = request.path
        if self._limit is not None and self.in_flight >= self._limit:
            self.refuse(path, "429")
            return web.Response(status=429, text="Too Many Requests")
        call = self.begin(path)
        status = "cancelled"
        try:
            await asyncio.sleep(self.latency(path))
            status = str(self._status(path))
        finally:
            self.end(call, status)
        if status == "204":
            return web.Response(status=204)
        if status.startswith("2") and path in self._pages:
            return web.Response(status=int(status), body=self._pages[path], content_type="text/html")
        return web.Response(status=int(status), text=f"{status} for {path}")

    def _status(self, path: str) -> int:
        if path in self._broken:
            return self._broken[path]
        if path not in self._pages:
            return 404
        if self.attempts(path) <= self._fail_first.get(path, 0):
            return 500
        return 200

    async def __aenter__(self) -> NovelSite:
        __tracebackhide__ = True
        app = web.Application()
        app.router.add_get("/{path:.*}", self._serve)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, HOST, 0)
        await site.start()
        self.url = f"http://{HOST}:{self._runner.addresses[0][1]}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        __tracebackhide__ = True
        if self._runner is not None:
            await self._runner.cleanup()


@contextlib.asynccontextmanager
async def serving(
    handler: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]],
) -> AsyncIterator[tuple[str, int]]:
    """``async with serving(handler) as (host, port):`` runs ``asyncio.start_server(handler)``
    on 127.0.0.1 and a free port for the block, then closes it and every connection, also
    those a handler returned from without closing (3.12+'s ``wait_closed`` waits for them)."""
    __tracebackhide__ = True
    writers: list[asyncio.StreamWriter] = []

    async def tracked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        __tracebackhide__ = True
        writers.append(writer)
        await handler(reader, writer)

    server = await asyncio.start_server(tracked, HOST, 0)
    try:
        yield HOST, server.sockets[0].getsockname()[1]
    finally:
        server.close()
        for writer in writers:
            if not writer.transport.is_closing():
                writer.transport.abort()  # what 3.13's server.abort_clients() does, on 3.11 too
        await server.wait_closed()
