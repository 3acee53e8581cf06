"""autograder.processes: ProcessGate tells right from wrong subprocess code by handshakes."""

from __future__ import annotations

import asyncio
import sys

import pytest

from autograder import vtime
from autograder.processes import ProcessGate


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
