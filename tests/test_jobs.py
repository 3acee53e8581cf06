"""autograder.jobs: the helpers that drive a JobRunner class for chapter 12's checks."""

from __future__ import annotations

import asyncio
import collections
import warnings
from contextlib import closing

import pytest

from autograder import jobs, vtime
from autograder.probes import Call, ClosableService, Service
from conftest import VARIANTS


def known_answer(name: str) -> type:
    """The JobRunner class of a known answer in tests/variants/12-capstone/JobRunner/."""
    namespace = {"asyncio": asyncio, "collections": collections}
    exec((VARIANTS / "12-capstone" / "JobRunner" / f"{name}.py").read_text(), namespace)  # noqa: S102
    return namespace["JobRunner"]


RIGHT = known_answer("right_call_later_handles")


class Leaky:
    """A runner that starts each job at once and, on aclose(), leaves a retry scheduled."""

    def __init__(self, workers, **settings):
        self.futures = []

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info):
        await self.aclose()

    def submit(self, job, *args):
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.futures.append(future)
        loop.call_later(5, lambda: loop.create_task(job(*args)))  # never cancelled
        return future

    async def aclose(self):
        for future in self.futures:
            future.cancel()


def test_submit_all_notes_when_each_future_got_what_and_when_the_block_was_left():
    with closing(ClosableService({"a": 3, "b": 1, "c": 2, "d": 1})) as svc:
        run = vtime.run(jobs.submit_all, RIGHT, svc, "abcd", workers=2)
    left, got = run.result
    assert left == 4
    assert got == {"a": ("service:a", 3), "b": ("service:b", 1), "c": ("service:c", 3), "d": ("service:d", 4)}
    assert jobs.starts(svc) == [0, 0, 1, 3]
    assert jobs.spans(svc, "c") == [(1, 3)]
    assert run.pending == []


def test_submit_all_submits_later_keys_at_their_time_and_stays_in_the_block():
    with closing(ClosableService(1)) as svc:
        left, got = vtime.run(jobs.submit_all, RIGHT, svc, ["a"], later=["b"], at=5, stay=8, workers=1).result
    assert jobs.starts(svc) == [0, 5]
    assert left == 8 and got["b"] == ("service:b", 6)


def test_times_are_kept_to_the_microsecond_and_starts_to_the_millisecond():
    with closing(ClosableService(1.2345678)) as svc:
        left, got = vtime.run(jobs.submit_all, RIGHT, svc, ["a", "b"], workers=1).result
    assert left == 2.469136 and got["a"] == ("service:a", 1.234568)
    assert jobs.starts(svc) == [0, 1.235]


def test_submit_in_waves_submits_a_wave_every_half_second():
    with closing(ClosableService(0.1)) as svc:
        vtime.run(jobs.submit_in_waves, RIGHT, svc, ["ab", "c"], workers=3)
    assert jobs.starts(svc) == [0, 0, 0.5]


def test_progress_at_reads_the_fields_at_each_moment():
    with closing(ClosableService(1, failures={"a": 1})) as svc:
        got = vtime.run(jobs.progress_at, RIGHT, [0.5, 1.5, 3.5], svc, "ab", workers=1, retries=1, backoff=1).result
    assert got == {0.5: (1, 1, 0, 0, 0), 1.5: (0, 1, 1, 0, 0), 3.5: (0, 0, 0, 2, 0)}
    fresh = vtime.run(jobs.first_progress, RIGHT).result
    assert fresh == (0, 0, 0, 0, 0) and fresh._fields[0] == "queued"


def test_submitted_refuses_what_is_not_a_future_and_closes_a_coroutine():
    class Coroutines:
        def submit(self, job, *args):
            return job(*args)

    with closing(ClosableService(1)) as svc, warnings.catch_warnings():
        warnings.simplefilter("error")  # a coroutine left unclosed would warn
        with pytest.raises(AssertionError, match="must be a plain method returning an asyncio.Future"):
            jobs.submitted(Coroutines(), svc, "a")


def test_settled_says_what_became_of_a_future():
    async def futures():
        loop = asyncio.get_running_loop()
        done, failed, cancelled, pending = (loop.create_future() for _ in range(4))
        done.set_result(1)
        failed.set_exception(ValueError("no"))
        cancelled.cancel()
        return [jobs.settled(f) for f in (done, failed, cancelled, pending)]

    one, error, cancelled, pending = vtime.run(futures).result
    assert (one, type(error), cancelled, pending) == (1, ValueError, "cancelled", "pending")


@pytest.mark.parametrize("how, ended", [("aclose", "returned"), ("error", jobs.BlockError),
                                        ("cancel", "cancelled"), ("cancel-exit", "cancelled")])
def test_shut_down_ends_the_runner_each_way_and_notes_when_it_was_over(how, ended):
    with closing(ClosableService(5)) as svc:
        run = vtime.run(jobs.shut_down, RIGHT, how, 2, [(jobs.stubborn, 10, 0.5), (svc, "z")], workers=2)
    over, got, how_it_ended = run.result
    assert over == 2.5 and got == ["cancelled", "cancelled"]
    if isinstance(ended, type):
        assert isinstance(how_it_ended, ended)
    else:
        assert how_it_ended == ended
    assert jobs.not_stopped(svc, 2) == []


def test_shut_down_lingers_so_that_what_a_runner_left_scheduled_is_seen():
    with closing(ClosableService(1)) as svc:
        run = vtime.run(jobs.shut_down, Leaky, "aclose", 2, [(svc, "a")], linger=10, workers=1)
    over, got, _ = run.result
    assert over == 2 and got == ["cancelled"]
    assert jobs.started_after(svc, over) == [("a", 5)]
    with closing(ClosableService(1)) as svc:
        vtime.run(jobs.shut_down, Leaky, "aclose", 2, [(svc, "a")], workers=1)
    assert svc.calls == []  # without lingering, the loop ends before the leftover runs


def test_not_stopped_lists_attempts_that_outlived_the_moment():
    svc = Service()
    svc.calls = [Call("a", 0, 2, "cancelled"), Call("b", 0, 1, "ok"),
                 Call("c", 0, 2, "ok"), Call("d", 1, None, "running")]
    assert jobs.not_stopped(svc, 2) == [("c", "ok", 2), ("d", "running", None)]
    assert jobs.started_after(svc, 0.5) == [("d", 1)]


def test_submit_after_block_says_what_happened():
    with closing(ClosableService(1)) as svc:
        assert vtime.run(jobs.submit_after_block, RIGHT, svc, False).result == "RuntimeError"
        assert vtime.run(jobs.submit_after_block, RIGHT, svc, True).result == "RuntimeError"
        said = vtime.run(jobs.submit_after_block, Leaky, svc, False).result
    assert said.startswith("no exception; submit returned <Future")


def test_submit_after_block_fails_when_submit_fails_inside_the_block_too():
    class Refuses(Leaky):
        def submit(self, job, *args):
            raise RuntimeError("closed")

    with closing(ClosableService(1)) as svc, pytest.raises(RuntimeError, match="closed"):
        vtime.run(jobs.submit_after_block, Refuses, svc, True)


def test_stubborn_takes_its_time_to_clean_up():
    async def cancel_after(seconds):
        task = asyncio.create_task(jobs.stubborn(10, cleanup=0.25))
        await asyncio.sleep(seconds)
        task.cancel()
        await asyncio.wait([task])
        return asyncio.get_running_loop().time()

    assert vtime.run(cancel_after, 1).result == 1.25
    assert vtime.run(jobs.stubborn, 2).result == "stubborn"


def test_late_asks_about_polling_only_when_late():
    assert "Are you polling?" in jobs.late("the block was left", 4.01, 4)
    assert "0.01 s late" in jobs.late("the block was left", 4.01, 4)
    early = jobs.late("aclose() returned", 2, 3)
    assert "before the last job was over (3 s)" in early and "polling" not in early


def test_submit_all_lingers_after_the_block_when_asked():
    with closing(ClosableService(1)) as svc:
        left, got = vtime.run(jobs.submit_all, Leaky, svc, ["a"], linger=10, workers=1).result
    assert left == 0 and got == {"a": ("cancelled", 0)}
    assert jobs.started_after(svc, left) == [("a", 5)]
