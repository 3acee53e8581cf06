"""autograder.compare: the stopwatch and the bar chart of lesson 12."""

import asyncio
import concurrent.futures
import os

import pytest
from matplotlib.figure import Figure

from autograder import compare, work


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
    assert times["async"].wall >= 0.01 > times["plain"].wall >= 0


def test_measure_notes_the_cpu_time_of_this_process_beside_the_wall_time():
    def compute():
        return work.count_primes(20_000)

    def wait():
        work.wait_io(0.05)
        return work.count_primes(2)

    def in_a_thread():
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(compute).result()

    times = asyncio.run(compare.measure({"compute": compute, "thread": in_a_thread}, repeat=1))
    # a thread's CPU time is this process's too; a wait uses next to none
    assert times["thread"].cpu >= 0.5 * times["compute"].cpu > 0
    waited = asyncio.run(compare.measure({"wait": wait}, repeat=1))["wait"]
    assert waited.wall >= 0.05 and waited.cpu < 0.5 * waited.wall


def test_measure_refuses_a_way_that_returns_something_else():
    ways = {"right": lambda: [4, 25], "lazy": lambda: None}
    with pytest.raises(ValueError, match="'lazy' returned None"):
        asyncio.run(compare.measure(ways, repeat=1))


def test_speedups_divide_the_first_wall_time_by_each():
    assert compare.speedups({"one by one": 0.4, "threads": 0.1, "slow": 0.8}) == {
        "one by one": 1.0, "threads": 4.0, "slow": 0.5}
    timed = {"one by one": compare.Timing(0.4, 0.4), "processes": compare.Timing(0.2, 0.01)}
    assert compare.speedups(timed) == {"one by one": 1.0, "processes": 2.0}


def test_conditions_name_the_usable_cpus_and_the_load(monkeypatch):
    monkeypatch.setattr(compare, "usable_cpus", lambda: 2)
    monkeypatch.setattr(compare.os, "getloadavg", lambda: (6.64, 1.0, 1.0))
    assert compare.conditions() == "2 usable CPUs, load 6.6" and compare.busy()
    monkeypatch.setattr(compare.os, "getloadavg", lambda: (0.5, 1.0, 1.0))
    assert compare.conditions() == "2 usable CPUs, load 0.5" and not compare.busy()
    monkeypatch.delattr(compare.os, "getloadavg")
    assert compare.conditions() == "2 usable CPUs" and not compare.busy()


def test_table_lists_wall_and_cpu_time_and_speed_up():
    lines = compare.table({"one by one": compare.Timing(0.3, 0.3), "processes": compare.Timing(0.15, 0.002)})
    assert lines.splitlines() == ["one by one    300 ms wall    300 ms CPU here (1.0 CPU busy)  speed-up ×1.0",
                                  "processes     150 ms wall      2 ms CPU here (0.0 CPU busy)  speed-up ×2.0"]


def test_usable_cpus_is_what_this_process_may_use():
    expected = os.process_cpu_count() if hasattr(os, "process_cpu_count") else len(os.sched_getaffinity(0))
    assert compare.usable_cpus() == expected


def test_warm_starts_as_many_workers_as_asked():
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        compare.warm(pool, 3)
        assert len(pool._threads) == 3


def test_bars_draws_one_panel_per_job_with_labelled_bars():
    fig = compare.bars({"I/O": {"one by one": compare.Timing(0.24, 0.001), "asyncio": compare.Timing(0.03, 0.001)},
                        "CPU": {"one by one": 0.2, "threads": 0.2, "asyncio + processes": 0.1}},
                       title="here")
    assert isinstance(fig, Figure)
    io, cpu = fig.axes
    assert [p.get_height() for p in io.patches] == pytest.approx([240, 30])
    labels = [t.get_text() for t in cpu.texts]
    assert labels == ["200 ms\n×1.0", "200 ms\n×1.0", "100 ms\n×2.0"]
    assert [t.get_text() for t in cpu.get_xticklabels()] == ["one by one", "threads", "asyncio\n+ processes"]
    assert cpu.patches[2].get_facecolor() != cpu.patches[1].get_facecolor()
