"""autograder.threads: Gate and Rendezvous tell right from wrong thread code by handshakes."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import threading
import time

import pytest

from autograder import threads, vtime

ARGS = [(i,) for i in range(7)]


async def semaphore_to_thread(func, args_list, max_workers):
    limit = asyncio.Semaphore(max_workers)

    async def one(args):
        async with limit:
            return await asyncio.to_thread(func, *args)

    return await asyncio.gather(*(one(args) for args in args_list))


async def own_pool(func, args_list, max_workers):
    loop = asyncio.get_running_loop()
    with concurrent.futures.ThreadPoolExecutor(max_workers) as pool:
        return await asyncio.gather(*(loop.run_in_executor(pool, func, *args) for args in args_list))


async def direct_call(func, args_list, max_workers):
    return [func(*args) for args in args_list]


async def ignores_max_workers(func, args_list, max_workers):
    return await asyncio.gather(*(asyncio.to_thread(func, *args) for args in args_list))


async def batches(func, args_list, max_workers):
    results = []
    for start in range(0, len(args_list), max_workers):
        batch = args_list[start:start + max_workers]
        results += await asyncio.gather(*(asyncio.to_thread(func, *args) for args in batch))
    return results


async def completion_order(func, args_list, max_workers):
    limit = asyncio.Semaphore(max_workers)

    async def one(args):
        async with limit:
            return await asyncio.to_thread(func, *args)

    return [await next_done for next_done in asyncio.as_completed([one(args) for args in args_list])]


@pytest.mark.parametrize("run_blocking", [semaphore_to_thread, own_pool])
@pytest.mark.parametrize("max_workers", [1, 3, 4])
def test_a_right_pool_keeps_max_workers_busy_and_returns_in_input_order(run_blocking, max_workers):
    gate, result = threads.through_gate(run_blocking, ARGS, max_workers)
    assert result == ARGS
    assert gate.observed == [min(max_workers, len(ARGS) - k) for k in range(len(ARGS))]
    assert gate.max_inside <= max_workers
    assert sorted(a.args for a in gate.arrivals) == ARGS


def test_a_call_on_the_loop_thread_is_refused_at_once():
    with pytest.raises(threads.LoopBlockedError, match="event loop's own thread"):
        threads.through_gate(direct_call, ARGS, 3)


def test_too_many_at_once_is_counted():
    gate, result = threads.through_gate(ignores_max_workers, ARGS, 2)
    assert result == ARGS and gate.max_inside > 2


def test_batches_leave_a_slot_idle_and_cost_one_patience_at_most():
    gate, result = threads.through_gate(batches, ARGS, 3)
    assert result == ARGS
    assert gate.observed != [min(3, len(ARGS) - k) for k in range(len(ARGS))]


def test_completion_order_differs_from_input_order():
    gate, result = threads.through_gate(completion_order, ARGS, 3)
    assert sorted(result) == ARGS and result != ARGS


def test_no_thread_is_left_waiting_when_the_body_fails():
    gate = threads.Gate(patience=5.0)
    waiting = threading.Thread(target=gate, args=("left behind",))

    async def main():
        async with gate.letting_through(3, 3):
            waiting.start()
            raise KeyError("the body failed")

    with pytest.raises(KeyError):
        vtime.run(main, virtual=False)
    waiting.join(1.0)  # safety net only: leaving the block opened the gate
    assert not waiting.is_alive() and gate.arrivals[0].args == ("left behind",)


def submit_and_wait_all(loop, coro_fn, args_list):
    futures = [asyncio.run_coroutine_threadsafe(coro_fn(*args), loop) for args in args_list]
    return [future.result() for future in futures]


def submit_one_by_one(loop, coro_fn, args_list):
    return [asyncio.run_coroutine_threadsafe(coro_fn(*args), loop).result() for args in args_list]


def own_loop_in_thread(loop, coro_fn, args_list):
    async def all_of_them():
        return await asyncio.gather(*(coro_fn(*args) for args in args_list))

    return asyncio.run(all_of_them())


def call_soon_from_thread(loop, coro_fn, args_list):
    tasks = []
    for args in args_list:
        loop.call_soon(lambda a=args: tasks.append(loop.create_task(coro_fn(*a))))
    return tasks


def rendezvous_run(submit, parties=4):
    meeting = threads.Rendezvous(parties)
    return meeting, threads.from_a_thread(submit, meeting, [(i,) for i in range(parties)])


def test_rendezvous_lets_concurrent_coroutines_finish_last_come_first_served():
    meeting, (loop, results) = rendezvous_run(submit_and_wait_all)
    assert results == [(i,) for i in range(4)] and meeting.max_inside == 4
    assert {a.loop for a in meeting.arrivals} == {loop}


def test_rendezvous_fails_coroutines_that_run_one_at_a_time():
    with pytest.raises(threads.NotConcurrentError, match="only 1 of 4"):
        rendezvous_run(submit_one_by_one)


def test_rendezvous_tells_which_loop_ran_the_coroutines():
    meeting, (loop, results) = rendezvous_run(own_loop_in_thread)
    assert results == [(i,) for i in range(4)]
    assert all(a.loop is not loop for a in meeting.arrivals)


def test_debug_mode_refuses_call_soon_from_another_thread():
    with pytest.raises(RuntimeError, match="thread"):
        rendezvous_run(call_soon_from_thread)


async def pool_map_on_the_loop(func, args_list, max_workers):
    with concurrent.futures.ThreadPoolExecutor(max_workers) as pool:
        return list(pool.map(lambda args: func(*args), args_list))


async def gather_after_the_with_block(func, args_list, max_workers):
    loop = asyncio.get_running_loop()
    with concurrent.futures.ThreadPoolExecutor(max_workers) as pool:
        calls = [loop.run_in_executor(pool, func, *args) for args in args_list]
    return await asyncio.gather(*calls)


@pytest.mark.parametrize("run_blocking", [pool_map_on_the_loop, gather_after_the_with_block])
def test_waiting_for_the_threads_on_the_loop_thread_is_named_and_costs_one_wait(run_blocking):
    started = time.monotonic()
    with pytest.raises(threads.StuckLoopError, match="did not run at all.*with ThreadPoolExecutor"):
        threads.through_gate(run_blocking, ARGS, 2, patience=0.3)
    # One gate wait (2 * patience), not one per call: the later calls fail at once.
    assert time.monotonic() - started < 4 * 0.3


def test_a_loop_that_spins_forever_gets_the_thread_hint():
    async def spins(func, args_list, max_workers):
        while True:
            pass

    with pytest.raises(vtime.BlockedLoopError, match="waiting for the worker threads"):
        threads.through_gate(spins, ARGS, 2)


async def own_pool_shut_down_without_waiting(func, args_list, max_workers):
    loop = asyncio.get_running_loop()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers)
    try:
        return await asyncio.gather(*(loop.run_in_executor(pool, func, *args) for args in args_list))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


@pytest.mark.parametrize("run_blocking", [semaphore_to_thread, own_pool_shut_down_without_waiting])
def test_cancelling_a_free_loop_gives_control_back_while_the_calls_still_wait(run_blocking):
    seen = threads.cancelled_while_running(run_blocking, ARGS, 3)
    assert (seen.started, seen.ended, seen.still_waiting, seen.problem) == (3, True, 3, "")


def test_cancelling_inside_a_with_pool_ends_only_after_the_calls_gave_up():
    seen = threads.cancelled_while_running(own_pool, ARGS, 2, patience=0.3)
    assert seen.started == 2 and seen.still_waiting == 0 and seen.gate.stuck
    assert "gave control back only once they had ended" in seen.problem


def test_a_loop_blocked_before_the_cancellation_is_told_apart():
    seen = threads.cancelled_while_running(gather_after_the_with_block, ARGS, 2, patience=0.3)
    assert seen.started == 0 and "before any cancellation" in seen.problem


def test_coroutines_made_and_never_started_are_closed_without_a_warning(recwarn):
    def create_task_from_the_thread(loop, coro_fn, args_list):
        return [loop.create_task(coro_fn(*args)) for args in args_list]

    meeting = threads.Rendezvous(2)
    with pytest.raises(RuntimeError, match="Non-thread-safe"):
        threads.from_a_thread(create_task_from_the_thread, meeting, [(0,), (1,)])
    gc.collect()
    assert not [w for w in recwarn if "never awaited" in str(w.message)]
