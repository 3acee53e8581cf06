import asyncio
import functools

import pytest

from autograder import probes, vtime


def test_service_records_calls_and_concurrency():
    service = probes.Service({"a": 1, "b": 3}, default_latency=2)

    async def main():
        return await asyncio.gather(service("a"), service("b"), service("c"))

    run = vtime.run(main)
    assert run.result == ["service:a", "service:b", "service:c"]
    assert run.elapsed == 3.0
    assert service.max_in_flight == 3 and service.in_flight == 0
    assert [(c.key, c.start, c.end, c.outcome) for c in service.calls] == [
        ("a", 0.0, 1.0, "ok"), ("b", 0.0, 3.0, "ok"), ("c", 0.0, 2.0, "ok"),
    ]


def test_service_sequential_calls_never_overlap():
    service = probes.Service(0.5)

    async def main():
        for key in range(4):
            await service(key)

    assert vtime.run(main).elapsed == 2.0
    assert service.max_in_flight == 1


def test_failures_always_or_for_the_first_attempts():
    service = probes.Service(1, failures={"bad": KeyError("bad"), "flaky": 2, "typed": ValueError})

    async def main():
        results = []
        for key in ["bad", "flaky", "flaky", "flaky", "typed"]:
            try:
                results.append(await service(key))
            except Exception as exc:  # noqa: BLE001
                results.append(type(exc).__name__)
        return results

    assert vtime.run(main).result == ["KeyError", "ServiceError", "ServiceError", "service:flaky", "ValueError"]
    assert service.keys("error") == ["bad", "flaky", "flaky", "typed"]


def test_cancelled_calls_are_recorded():
    service = probes.Service({"slow": 5, "fast": 1})

    async def main():
        slow = asyncio.create_task(service("slow"))
        await service("fast")
        slow.cancel()
        await asyncio.gather(slow, return_exceptions=True)

    vtime.run(main)
    assert service.keys("cancelled") == ["slow"]
    assert service.calls[0].end == 1.0


def test_custom_results_and_latency_function():
    service = probes.Service(lambda key: key / 10, result=lambda key: key * key)

    async def main():
        return await asyncio.gather(*(service(k) for k in (10, 20)))

    run = vtime.run(main)
    assert (run.result, run.elapsed) == ([100, 400], 2.0)


def test_heartbeat_keeps_ticking_while_the_loop_is_free():
    async def main():
        async with probes.Heartbeat(0.5) as beat:
            await asyncio.sleep(3)
        return beat

    beat = vtime.run(main).result
    assert beat.ticks == [0.0, 0.5, 1.0, 1.5, 2.0, 2.5] and beat.stopped_at == 3.0
    assert beat.longest_gap == 0.5 and not beat.was_blocked()


def test_heartbeat_sees_a_blocked_real_loop():
    import time

    async def main():
        async with probes.Heartbeat(0.01) as beat:
            await asyncio.sleep(0.02)
            time.sleep(0.1)  # a real loop: blocking shows as a gap between beats
            await asyncio.sleep(0.02)
        return beat

    beat = asyncio.run(main())
    assert beat.was_blocked() and beat.longest_gap >= 0.1


def test_tap_counts_pulls_and_stops_overreads():
    tap = probes.Tap()
    assert [next(tap) for _ in range(3)] == [0, 1, 2] and tap.pulled == 3
    with pytest.raises(probes.OverreadError):
        list(probes.Tap(limit=100))
    finite = probes.Tap("abc")
    assert list(finite) == ["a", "b", "c"] and finite.pulled == 3


def test_closable_service_closes_what_nobody_started(recwarn):
    import contextlib
    import gc

    with contextlib.closing(probes.ClosableService(1.0)) as service:
        forgotten = service("never awaited")
        run = vtime.run(service, "awaited")
    del forgotten
    gc.collect()
    assert run.result == "service:awaited"
    assert service.outcomes() == {"awaited": ("ok", 1.0)}
    assert not [w for w in recwarn if "never awaited" in str(w.message)]


def test_outcome_and_arrivals_stamp_what_happened_with_the_loop_time():
    service = probes.Service({"a": 2, "b": 1}, failures={"b": KeyError("b")})
    assert vtime.run(probes.outcome, service("a")).result == ("service:a", 2.0)
    error, when = vtime.run(probes.outcome, service("b")).result
    assert isinstance(error, KeyError) and when == 1.0

    async def ticks():
        for n in range(3):
            await asyncio.sleep(0.5)
            yield n

    assert vtime.run(probes.arrivals, ticks()).result == [(0.5, 0), (1.0, 1), (1.5, 2)]
    coro = service("a")
    with pytest.raises(TypeError, match="async generator"):
        vtime.run(probes.arrivals, coro)



def test_in_flight_at_counts_the_calls_running_at_a_moment():
    service = probes.Service({"a": 2, "b": 1, "c": 1})

    async def two_at_a_time():
        limit = asyncio.Semaphore(2)

        async def one(key):
            async with limit:
                return await service(key)

        await asyncio.gather(*(one(key) for key in "abc"))

    vtime.run(two_at_a_time)
    assert [service.in_flight_at(t) for t in (0, 0.5, 1, 1.5, 2)] == [2, 2, 2, 2, 0]
    assert service.idle_moments(2) == [] and service.idle_moments(3) == [(0.0, 2)]


def test_idle_moments_show_a_batch_that_lets_a_slot_idle():
    service = probes.Service({"a": 2, "b": 1, "c": 1})

    async def batches_of_two():
        await asyncio.gather(service("a"), service("b"))
        await service("c")

    vtime.run(batches_of_two)
    assert service.idle_moments(2) == [(1.0, 1)]


def test_leaves_flattens_exception_groups():
    a, b, c = KeyError("a"), ValueError("b"), TypeError("c")
    assert probes.leaves(a) == [a]
    assert probes.leaves(ExceptionGroup("outer", [a, ExceptionGroup("inner", [b, c])])) == [a, b, c]


def test_yield_now_suspends_exactly_once_by_hand_and_on_a_loop():
    async def twice():
        await probes.yield_now()
        await probes.yield_now()
        return "done"

    coro = twice()
    assert coro.send(None) is None and coro.send(None) is None
    with pytest.raises(StopIteration) as stop:
        coro.send(None)
    assert stop.value.value == "done"

    order = []

    async def worker(name):
        for i in range(2):
            order.append(f"{name}{i}")
            await probes.yield_now()

    async def both():
        await asyncio.gather(worker("a"), worker("b"))

    assert vtime.run(both).elapsed == 0
    assert order == ["a0", "b0", "a1", "b1"], "each suspension lets the other task run"


def test_callback_api_answers_later_from_the_loop():
    failure = KeyError("no such user")
    api = probes.CallbackAPI(latency=lambda request: 2.0 if request == "slow" else 0.5,
                             errors={"bob": failure})

    async def ask(request):
        loop = asyncio.get_running_loop()
        answer = loop.create_future()
        returned = api(request, lambda error, result: answer.set_result((error, result, loop.time())))
        return returned, await answer

    assert vtime.run(ask, "slow").result == (None, (None, "reply to slow", 2.0))
    assert vtime.run(ask, "bob").result == (None, (failure, None, 0.5))
    assert api.calls == [("slow", 0.0), ("bob", 0.0)]
    custom = probes.CallbackAPI(reply=str.upper)
    assert vtime.run(_ask_with, custom, "hi").result == (None, "HI")


async def _ask_with(api, request):
    answer = asyncio.get_running_loop().create_future()
    api(request, lambda error, result: answer.set_result((error, result)))
    return await answer


def test_own_futures_lists_only_what_the_code_under_test_makes():
    async def main():
        loop = asyncio.get_running_loop()
        event, queue = asyncio.Event(), asyncio.Queue()
        with probes.own_futures() as made:
            mine = loop.create_future()
            also_mine = asyncio.get_running_loop().create_future()
            waiting = [asyncio.create_task(event.wait()), asyncio.create_task(queue.get())]
            await asyncio.sleep(0.5)  # sleep, Event.wait and Queue.get make futures of asyncio's own
            shielded = asyncio.shield(mine)
            mine.set_result("x")
            event.set()
            queue.put_nowait("y")
            await asyncio.gather(shielded, *waiting)
        after = loop.create_future()
        return made, [mine, also_mine], after, "create_future" in vars(loop)

    made, mine, after, still_patched = vtime.run(main).result
    assert made == mine and after not in made
    assert not still_patched, "leaving the block restores the loop's own create_future"


def test_own_done_callbacks_lists_what_the_code_under_test_adds_to_each_task():
    def record(url, task):
        pass

    async def main():
        loop = asyncio.get_running_loop()
        factory = loop.get_task_factory()
        with probes.own_done_callbacks() as added:
            mine = asyncio.create_task(asyncio.sleep(1, "a"))
            mine.add_done_callback(functools.partial(record, "a"))
            grouped = []
            async with asyncio.TaskGroup() as group:  # TaskGroup adds callbacks of its own
                grouped.append(group.create_task(asyncio.sleep(2)))
            gathered = asyncio.ensure_future(asyncio.sleep(1))
            await asyncio.gather(mine, gathered)  # so does gather, and awaiting a task
            await asyncio.wait([asyncio.create_task(asyncio.sleep(0))])
        outside = asyncio.create_task(asyncio.sleep(0))
        await outside
        return added, mine, grouped[0], gathered, outside, loop.get_task_factory() is factory

    added, mine, grouped, gathered, outside, restored = vtime.run(main).result
    assert [fn.args for fn in added[mine]] == [("a",)]
    assert added[grouped] == [] and added[gathered] == [] and len(added) == 4
    assert outside not in added and restored


def test_ipython_hides_the_probes_frames_a_learners_error_passes_through():
    from IPython.core.ultratb import FormattedTB

    async def learners_generator():
        yield 1
        raise KeyError("the learner's own mistake")

    try:
        asyncio.run(probes.arrivals(learners_generator()))
    except KeyError as exc:
        text = FormattedTB(mode="Context", theme_name="nocolor").text(type(exc), exc, exc.__traceback__)
    assert "learners_generator" in text and "the learner's own mistake" in text
    assert "autograder/probes.py" not in text and "skipping hidden" in text


def test_outcome_returns_a_cancellation_that_comes_out_of_the_awaitable_only():
    async def cancelled_task():
        task = asyncio.create_task(asyncio.sleep(5))
        await asyncio.sleep(1)
        task.cancel()
        return await probes.outcome(task)

    error, when = vtime.run(cancelled_task).result
    assert isinstance(error, asyncio.CancelledError) and when == 1

    async def cancelled_itself():
        watcher = asyncio.create_task(probes.outcome(asyncio.sleep(5)))
        await asyncio.sleep(1)
        watcher.cancel()
        await asyncio.wait([watcher])
        return watcher.cancelled()

    assert vtime.run(cancelled_itself).result, "cancelling the task that runs outcome() cancels it"
    with pytest.raises(TimeoutError):
        vtime.run(probes.outcome, asyncio.sleep(10), virtual_limit=2)
