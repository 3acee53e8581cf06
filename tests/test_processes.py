"""autograder.processes: ProcessGate tells right from wrong subprocess code by handshakes."""

from __future__ import annotations

import asyncio
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import vtime
from autograder.processes import ProcessGate, RunTooLongError, launches, run_gated


async def run_one(argv):
    proc = await asyncio.create_subprocess_exec(*argv, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE)
    out, err = await proc.communicate()
    return proc.returncode, out.decode(), err.decode()


async def semaphore(argv_list, limit):
    gate = asyncio.Semaphore(limit)

    async def one(argv):
        async with gate:
            return await run_one(argv)

    return await asyncio.gather(*(one(argv) for argv in argv_list))


async def all_at_once(argv_list, limit):
    return await asyncio.gather(*(run_one(argv) for argv in argv_list))


async def batches(argv_list, limit):
    results = []
    for start in range(0, len(argv_list), limit):
        results += await asyncio.gather(*(run_one(argv) for argv in argv_list[start:start + limit]))
    return results


def gated(run_commands, n, limit):
    gate = ProcessGate()

    async def main():
        async with gate.letting_through(n, limit):
            argv_list = [gate.command(f"c{i}", stdout=f"out {i} ✓", stderr=f"err {i}", returncode=i)
                         for i in range(n)]
            return await run_commands(argv_list, limit)

    return gate, vtime.run(main, virtual=False).result


def expected(n):
    return [(i, f"out {i} ✓", f"err {i}") for i in range(n)]


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_a_right_limiter_keeps_limit_children_running_and_never_more(limit):
    gate, results = gated(semaphore, 5, limit)
    assert results == expected(5)
    assert gate.observed == [min(limit, 5 - k) for k in range(5)]
    assert gate.max_inside <= limit
    if sys.platform == "linux":
        assert len(gate.alive) == 5 and max(gate.alive) <= limit


@pytest.mark.skipif(sys.platform != "linux", reason="counts live children in /proc")
def test_starting_everything_at_once_is_seen_as_too_many_alive():
    gate, results = gated(all_at_once, 5, 2)
    assert results == expected(5)
    assert gate.alive[0] == 5  # all of them, before the first is let through
    # Connected children alone would not show it: they come in one by one as others leave.


def test_batches_leave_a_slot_idle():
    gate, results = gated(batches, 5, 2)
    assert results == expected(5)
    assert gate.observed != [min(2, 5 - k) for k in range(5)]


def test_a_child_nobody_lets_through_gives_up_and_says_so():
    gate = ProcessGate(patience=0.2)

    async def main():
        async with gate.letting_through(0, 1):
            argv = gate.command("late")
        return await run_one(argv)  # the gate has closed: nobody lets it through

    code, out, err = vtime.run(main, virtual=False).result
    assert (code, out) == (99, "") and "never let through" in err


def test_commands_are_built_inside_the_block_only():
    with pytest.raises(RuntimeError, match="inside"):
        ProcessGate().command("too early")


async def completion_order(argv_list, limit):
    """Results in the order the processes finish: the wrong answer the gate must expose."""
    gate = asyncio.Semaphore(limit)

    async def one(argv):
        async with gate:
            return await run_one(argv)

    return [await result for result in asyncio.as_completed([one(argv) for argv in argv_list])]


@pytest.mark.parametrize("n, limit", [(3, 2), (6, 3)])
def test_children_finish_in_the_order_they_are_let_through_never_in_start_order(n, limit):
    for _ in range(5):
        gate, results = gated(completion_order, n, limit)
        finished = [f"c{code}" for code, _, _ in results]
        assert finished == gate.released, (finished, gate.released)
        assert finished != [f"c{i}" for i in range(n)]


async def through_the_shell(argv_list, limit):
    gate = asyncio.Semaphore(limit)

    async def one(argv):
        async with gate:
            proc = await asyncio.create_subprocess_shell(shlex.join(argv), stdout=asyncio.subprocess.PIPE,
                                                         stderr=asyncio.subprocess.PIPE)
            out, err = await proc.communicate()
            return proc.returncode, out.decode(), err.decode()

    return await asyncio.gather(*(one(argv) for argv in argv_list))


async def in_threads(argv_list, limit):
    gate = asyncio.Semaphore(limit)

    async def one(argv):
        async with gate:
            done = await asyncio.to_thread(subprocess.run, argv, capture_output=True, text=True)
            return done.returncode, done.stdout, done.stderr

    return await asyncio.gather(*(one(argv) for argv in argv_list))


SPECS = [dict(stdout="$HOME; echo hi", stderr=f"err {i}", returncode=i) for i in range(3)]


def test_run_gated_sees_right_answers_start_every_command_as_given_from_the_loop():
    gated = run_gated(semaphore, SPECS, 2)
    assert gated.results == [(i, "$HOME; echo hi", f"err {i}") for i in range(3)]
    assert gated.strays() == [] and len(gated.launches) == 3
    assert gated.gate.observed == [2, 2, 1]


def test_run_gated_names_a_shell_and_a_worker_thread():
    gated = run_gated(through_the_shell, SPECS, 2)
    assert gated.results == [(i, "$HOME; echo hi", f"err {i}") for i in range(3)]  # shlex.join quoted it
    assert len(gated.strays()) == 3 and "/bin/sh" in gated.strays()[0] and "not with its argv" in gated.strays()[0]
    gated = run_gated(in_threads, SPECS, 2)
    assert gated.results == [(i, "$HOME; echo hi", f"err {i}") for i in range(3)]
    assert len(gated.strays()) == 3 and "not by the event loop" in gated.strays()[0]


async def never_ends(argv_list, limit):
    procs = [await asyncio.create_subprocess_exec(sys.executable, "-c", "import time; time.sleep(60)")
             for _ in argv_list]
    await asyncio.gather(*(proc.wait() for proc in procs))


def test_run_gated_stops_a_run_that_goes_on_and_kills_its_children():
    with launches() as started:
        with pytest.raises(RunTooLongError, match="still running after 0.5 s"):
            run_gated(never_ends, SPECS[:2], 2, within=0.5)
    for launch in started:
        assert launch.args[-1] == "import time; time.sleep(60)"
    assert not [line for line in Path("/proc").glob("*/cmdline") if _sleeper(line)] if sys.platform == "linux" else True


def _sleeper(cmdline):
    try:
        return b"time.sleep(60)" in cmdline.read_bytes()
    except OSError:
        return False
