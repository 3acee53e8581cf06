"""autograder.compare: the stopwatch and the bar chart of lesson 12."""

import asyncio
import concurrent.futures

import pytest
from matplotlib.figure import Figure

from autograder import compare


def test_measure_times_plain_and_async_ways_in_order():
    calls = []

    def plain():
        calls.append("plain")
        return [1, 2]

    async def waiting():
        calls.append("async")
        await asyncio.sleep(0.01)
        return [1, 2]

    times = asyncio.run(compare.measure({"plain": plain, "async": lambda: waiting()}, repeat=2))
    assert list(times) == ["plain", "async"]
    assert calls == ["plain", "async", "plain", "async"]  # the ways take turns
    assert times["async"] >= 0.01 > times["plain"] >= 0


def test_measure_refuses_a_way_that_returns_something_else():
    ways = {"right": lambda: [4, 25], "lazy": lambda: None}
    with pytest.raises(ValueError, match="'lazy' returned None"):
        asyncio.run(compare.measure(ways, repeat=1))


def test_speedups_divide_the_first_time_by_each():
    assert compare.speedups({"one by one": 0.4, "threads": 0.1, "slow": 0.8}) == {
        "one by one": 1.0, "threads": 4.0, "slow": 0.5}


def test_warm_starts_as_many_workers_as_asked():
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        compare.warm(pool, 3)
        assert len(pool._threads) == 3


def test_bars_draws_one_panel_per_job_with_labelled_bars():
    fig = compare.bars({"I/O": {"one by one": 0.24, "asyncio": 0.03},
                        "CPU": {"one by one": 0.2, "threads": 0.2, "asyncio + processes": 0.1}},
                       title="here")
    assert isinstance(fig, Figure)
    io, cpu = fig.axes
    assert [p.get_height() for p in io.patches] == pytest.approx([240, 30])
    labels = [t.get_text() for t in cpu.texts]
    assert labels == ["200 ms\n×1.0", "200 ms\n×1.0", "100 ms\n×2.0"]
    assert [t.get_text() for t in cpu.get_xticklabels()] == ["one by one", "threads", "asyncio\n+ processes"]
    assert cpu.patches[2].get_facecolor() != cpu.patches[1].get_facecolor()
