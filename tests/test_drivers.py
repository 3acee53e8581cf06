"""autograder.drivers: callers of chapter 09's answers, on virtual time."""

from __future__ import annotations

import asyncio
import collections
import time

import pytest

from autograder import drivers, vtime
from autograder.probes import ClosableService, arrivals


class LockPerURL:
    def __init__(self, fetch):
        self.fetch = fetch
        self.cache = {}
        self.locks = collections.defaultdict(asyncio.Lock)

    async def get(self, url):
        async with self.locks[url]:
            if url not in self.cache:
                self.cache[url] = await self.fetch(url)
        return self.cache[url]


class Polling:
    def __init__(self, fetch):
        self.fetch, self.cache, self.busy = fetch, {}, set()

    async def get(self, url):
        while url in self.busy:
            await asyncio.sleep(0.1)
        if url not in self.cache:
            self.busy.add(url)
            self.cache[url] = await self.fetch(url)
            self.busy.discard(url)
        return self.cache[url]


def test_ask_cached_reports_each_get_and_its_time_to_the_microsecond():
    svc = ClosableService({"a": 2.0137})
    got = vtime.run(drivers.ask_cached, LockPerURL, svc, [("a", 0.0113), ("a", 1), ("a", 3)]).result
    assert got == [("service:a", 2.025), ("service:a", 2.025), ("service:a", 3)]
    assert svc.keys() == ["a"]


def test_times_that_no_round_interval_divides_expose_a_poller():
    svc = ClosableService({"a": 2.0137})
    got = vtime.run(drivers.ask_cached, Polling, svc, [("a", 0.0113), ("a", 0.0113)]).result
    assert got[0] == ("service:a", 2.025) and got[1] != ("service:a", 2.025)


def test_jobs_are_coroutine_functions_without_arguments():
    svc = ClosableService(1)

    async def main():
        return await asyncio.gather(*(job() for job in drivers.jobs(svc, "ab")))

    run = vtime.run(main)
    assert run.result == ["service:a", "service:b"] and run.elapsed == 1


async def ticker(interval, count):
    for value in range(count):
        await asyncio.sleep(interval)
        yield value


@pytest.mark.parametrize("how", ["aclose", "aclosing"])
def test_stop_early_closes_the_generator(how):
    run = vtime.run(drivers.stop_early, ticker(1, 10), 2, how)
    assert run.result == ([0, 1], "stopped") and run.pending == []


def test_ticker_hint_names_the_clock_only_for_later_and_later_values():
    async def monotonic_ticker(interval, count):
        start = time.monotonic()
        for value in range(count):
            await asyncio.sleep(max(0, start + (value + 1) * interval - time.monotonic()))
            yield value

    late = vtime.run(arrivals, monotonic_ticker(1, 3)).result
    assert "loop's clock" in drivers.ticker_hint(late, 1)
    on_time = vtime.run(arrivals, ticker(1, 3)).result
    assert drivers.ticker_hint(on_time, 1) == ""
    early = [(0, 0), (1, 1), (2, 2)]  # yields, then sleeps
    assert drivers.ticker_hint(early, 1) == ""


def test_stop_early_refuses_a_coroutine_without_a_warning(recwarn):
    async def not_a_generator(interval, count):
        return list(range(count))

    with pytest.raises(TypeError, match="got a coroutine"):
        vtime.run(drivers.stop_early, not_a_generator(1, 3), 2, "aclose")
    assert not [w for w in recwarn if "never awaited" in str(w.message)]
