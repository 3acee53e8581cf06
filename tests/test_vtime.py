import asyncio
import subprocess
import sys
import threading
import time
import weakref

import pytest

from autograder import vtime


async def sleepy(seconds, value=None):
    await asyncio.sleep(seconds)
    return value


def test_concurrent_sleeps_take_the_longest_one():
    async def main():
        return await asyncio.gather(*(sleepy(2, i) for i in range(10)))

    run = vtime.run(main)
    assert run.result == list(range(10))
    assert run.elapsed == 2.0


def test_sequential_sleeps_add_up():
    async def main():
        return [await sleepy(2, i) for i in range(10)]

    assert vtime.run(main).elapsed == 20.0


def test_accepts_a_coroutine_or_a_function_with_arguments():
    assert vtime.run(sleepy(1.5, "a")).result == "a"
    assert vtime.run(sleepy, 1.5, value="b").result == "b"
    with pytest.raises(TypeError):
        vtime.run(sleepy(1), 2)
    with pytest.raises(TypeError):
        vtime.run(lambda: 42)


def test_exceptions_come_back_as_themselves():
    class Custom(Exception):
        pass

    async def fails():
        await asyncio.sleep(1)
        raise Custom("boom")

    with pytest.raises(Custom, match="boom"):
        vtime.run(fails)


def test_reports_and_cancels_tasks_left_pending():
    cancelled = []

    async def forgotten():
        try:
            await asyncio.sleep(100)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    async def leaky():
        asyncio.create_task(forgotten(), name="forgotten")
        await asyncio.sleep(1)
        return "done"

    run = vtime.run(leaky)
    assert (run.result, run.elapsed, run.pending) == ("done", 1.0, ["forgotten"])
    assert cancelled == [True]


def test_loop_errors_are_collected_not_printed(capsys):
    async def main():
        async def boom():
            raise ValueError("never retrieved")

        task = asyncio.create_task(boom())
        await asyncio.sleep(0.1)
        del task

    run = vtime.run(main)
    import gc

    gc.collect()
    assert capsys.readouterr().err == ""
    assert all("never retrieved" in e for e in run.loop_errors)


def test_time_sleep_on_the_virtual_loop_is_refused_with_a_hint():
    async def blocking():
        time.sleep(0.01)

    with pytest.raises(vtime.BlockingCallError, match="asyncio.sleep"):
        vtime.run(blocking)
    assert time.sleep is vtime._real_sleep


def test_time_sleep_in_worker_threads_still_works():
    async def main():
        await asyncio.to_thread(time.sleep, 0.001)
        return "ok"

    assert vtime.run(main).result == "ok"


def test_runaway_virtual_time_is_stopped():
    async def forever():
        while True:
            await asyncio.sleep(60)

    with pytest.raises(vtime.VirtualTimeLimitError):
        vtime.run(forever, virtual_limit=3600)


def test_a_blocked_loop_is_reported_instead_of_hanging():
    async def busy():
        while True:
            pass

    with pytest.raises(vtime.BlockedLoopError, match="keeps the event loop busy"):
        vtime.run(busy, wall_limit=0.2)


def test_works_inside_a_running_loop_patched_by_nest_asyncio2():
    code = """
import asyncio, nest_asyncio2
from autograder import vtime
nest_asyncio2.apply()
async def kernel_cell():
    async def fetch(i):
        await asyncio.sleep(2)
        return i
    async def main():
        return await asyncio.gather(*(fetch(i) for i in range(10)))
    run = vtime.run(main)
    print(run.result == list(range(10)), run.elapsed)
asyncio.run(kernel_cell())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "2.0"]
    assert out.stderr == ""


@pytest.mark.parametrize("body", ["while True:\n        pass", "while True:\n        await asyncio.sleep(0)"])
def test_a_runaway_run_is_stopped_so_it_stops_using_the_cpu(body):
    namespace = {"asyncio": asyncio}
    exec(f"async def runaway():\n    {body}", namespace)
    with pytest.raises(vtime.BlockedLoopError):
        vtime.run(namespace["runaway"], wall_limit=0.2)
    assert not [t for t in threading.enumerate() if t.name == "autograder-worker"]


def test_call_runs_a_plain_function_under_the_same_guards():
    assert vtime.call(sorted, [3, 1, 2], reverse=True) == [3, 2, 1]
    with pytest.raises(ZeroDivisionError):
        vtime.call(lambda: 1 / 0)
    with pytest.raises(vtime.BlockingCallError, match=r"time.sleep\(0.5\) in the loop: no"):
        vtime.call(lambda: time.sleep(0.5), sleep_hint="in the loop: no")
    assert time.sleep is vtime._real_sleep


def test_call_stops_a_function_that_never_returns():
    def spin():
        while True:
            pass

    with pytest.raises(vtime.BlockedLoopError, match="0.2 s of real time: run.. must return"):
        vtime.call(spin, wall_limit=0.2, busy_hint="run() must return")
    assert not [t for t in threading.enumerate() if t.name == "autograder-worker"]


def test_log_records_nobody_handles_are_kept_in_the_run_not_printed(capsys, monkeypatch):
    import logging

    monkeypatch.setattr(logging.getLogger(), "handlers", [])  # as in a kernel: no handler at all

    async def main():
        logging.getLogger("some.library").warning("late reply to %r ignored", "ping")
        logging.getLogger("some.library").info("not even created: below WARNING")
        await asyncio.sleep(1)
        return "ok"

    original = logging.lastResort
    run = vtime.run(main)
    assert run.result == "ok"
    assert run.logs == ["WARNING some.library: late reply to 'ping' ignored"]
    assert capsys.readouterr().err == ""
    assert logging.lastResort is original
    logging.getLogger("some.library").warning("outside a run: printed as usual")
    assert "outside a run" in capsys.readouterr().err


def test_a_wait_on_a_real_socket_does_not_hold_virtual_time_back():
    import socket

    left, right = socket.socketpair()
    left.setblocking(False)

    async def read_nothing_yet():
        return await asyncio.get_running_loop().sock_recv(left, 10)

    with left, right, pytest.raises(vtime.VirtualTimeLimitError):
        vtime.run(read_nothing_yet, virtual_limit=60)


def test_a_real_loop_waits_for_other_threads_with_the_same_guards():
    async def handed_over():
        loop = asyncio.get_running_loop()
        answer = loop.create_future()
        threading.Thread(target=lambda: loop.call_soon_threadsafe(answer.set_result, "from a thread")).start()
        return await answer

    run = vtime.run(handed_over, virtual=False)
    assert run.result == "from a thread" and run.pending == []

    async def blocking():
        time.sleep(0.01)

    with pytest.raises(vtime.BlockingCallError):
        vtime.run(blocking, virtual=False)


def test_debug_mode_catches_a_loop_method_called_from_the_wrong_thread():
    async def unsafe():
        loop = asyncio.get_running_loop()
        errors = []

        def from_a_thread():
            try:
                loop.call_soon(print, "never")
            except RuntimeError as exc:
                errors.append(str(exc))

        await asyncio.to_thread(from_a_thread)
        return errors

    [message] = vtime.run(unsafe, virtual=False, debug=True).result
    assert "thread" in message


def test_the_default_executor_is_shut_down_after_a_run():
    async def main():
        return await asyncio.to_thread(sum, [1, 2, 3])

    assert vtime.run(main).result == 6
    assert not [t for t in threading.enumerate() if t.name.startswith("asyncio_")]


def test_a_failed_run_lets_go_of_its_frames():
    # What a failing answer's frames held (coroutines it never awaited, say) is freed when
    # the run raises, so any warning lands in the failing cell, not in a later one.
    class Held:
        pass

    refs = []

    async def fails():
        held = Held()
        refs.append(weakref.ref(held))
        raise ValueError("wrong answer")

    with pytest.raises(ValueError):
        vtime.run(fails)
    assert refs[0]() is None, "the failed run's locals are still alive"
