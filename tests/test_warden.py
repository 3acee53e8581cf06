"""The grader's warden inside a graded kernel: what it refuses, what it lets through, what it
signs. Each mode of tests/warden_harness.py runs in a process of its own, as a kernel would."""

from __future__ import annotations

import dis
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

from autograder.grading import warden

import warden_harness as harness

HARNESS = Path(__file__).with_name("warden_harness.py")


def run_harness(mode: str):
    result = subprocess.run([sys.executable, str(HARNESS), mode], capture_output=True, text=True,
                            timeout=120, cwd=HARNESS.parent)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def attacks():
    return run_harness("attacks")


@pytest.fixture(scope="module")
def ordinary():
    return run_harness("ordinary")


@pytest.mark.parametrize("name", list(harness.ATTACKS))
def test_what_no_exercise_needs_is_refused(attacks, name):
    said = attacks[name]
    refused = said["outcome"] == "refused" or any(kind == "refused" for kind, _, _ in said["records"])
    assert refused, f"{name}: expected the warden to refuse it, got {said}"


def test_each_kind_of_refusal_is_recorded(attacks):
    recorded = {detail for said in attacks.values() for kind, _, detail in said["records"] if kind == "refused"}
    for reason in ("installs an audit hook", "installs a tracer or profiler", "uses ctypes",
                   "reads interpreter frames (sys._getframe)", "opens the process's own files in /proc",
                   "loads a C extension from outside the course's environment",
                   "runs code that claims to be the course's or Python's"):
        assert reason in recorded, f"expected a record {reason!r}, got {sorted(recorded)}"


@pytest.mark.parametrize("name", list(harness.ORDINARY))
def test_what_answers_use_runs_untouched(ordinary, name):
    said = ordinary[name]
    assert said == {"outcome": "ran", "records": [], "problems": []}, f"{name}: {said}"


@pytest.fixture(scope="module")
def cells():
    return run_harness("cells")


def kinds(step) -> list[tuple[str, str]]:
    return [(kind, cell) for kind, cell, _ in step["records"]]


def test_locked_cells_run_with_the_graders_names_and_builtins(cells):
    assert kinds(cells[0]) == [("ran", "setup")]
    assert cells[2]["outcome"] == "ran", cells[2]  # LIMIT, Tap and len rebound by the answer
    assert kinds(cells[2]) == [("passed", "test-names")]


def test_a_failing_test_is_recorded_and_shown(cells):
    assert cells[3]["outcome"] == "AssertionError: LIMIT is 3"
    assert kinds(cells[3]) == [("failed", "test-fails")]


def test_course_code_called_by_a_test_may_do_what_answers_may_not(cells):
    assert kinds(cells[4]) == [("passed", "test-vtime")], cells[4]  # vtime stops a runaway with ctypes


def test_a_test_calls_the_answer(cells):
    assert kinds(cells[6]) == [("passed", "test-answer")]


def test_a_cell_cannot_run_another(cells):
    assert cells[8]["outcome"].startswith("RuntimeError"), cells[8]
    assert ("refused", "test-nested") in kinds(cells[8]) and ("passed", "test-nested") not in kinds(cells[8])


def test_a_test_run_from_an_answer_cell_is_recorded_as_such(cells):
    assert kinds(cells[9]) == [("passed", "test-answer")]  # the grader flags a run outside its cell


def test_a_forged_record_is_told_apart(cells):
    assert cells[10]["records"] == [] and cells[10]["problems"], cells[10]


def test_a_thread_of_the_answer_is_noted_and_a_patch_zeroes(cells):
    assert ("noted", "test-answer") in kinds(cells[12]) and ("tampered", "test-answer") not in kinds(cells[12])
    tampered = [detail for kind, _, detail in cells[14]["records"] if kind == "tampered"]
    assert tampered and "autograder.probes.Tap.__next__ was changed" in tampered[0], cells[14]


def test_the_kernels_objects_are_frozen_at_the_baseline_and_later_garbage_is_collected(cells):
    # a test's gc.collect() walks only what cells made, not the 100,000 objects of the kernel
    assert ("passed", "test-gc") in kinds(cells[15]), cells[15]


def test_records_are_checked_in_order():
    key = b"x" * 32
    lines = [warden_line(key, seq, "passed", "t") for seq in (0, 1, 3)]
    records, problems = warden.Records(key).feed(b"".join(lines))
    assert [r[0] for r in records] == ["passed"] * 3
    assert problems == ["records of the grader's checks went missing (got 3, expected 2): something "
                        "read the grader's channel"], problems
    _, problems = warden.Records(key).feed(warden_line(b"y" * 32, 0, "passed", "t"))
    assert problems == ["something other than the grader's warden wrote on its channel"]


def warden_line(key: bytes, seq: int, kind: str, cell: str) -> bytes:
    import _hashlib

    body = f"{seq}\t{kind}\t{cell}\t".encode()
    return body + b"\t" + _hashlib.hmac_digest(key, body, "sha256").hex().encode() + b"\n"


# Functions that run only while the warden takes its baseline, before any learner code.
BASELINE_ONLY = {"snapshot", "group", "closure", "take_baseline", "watched", "<lambda>", "<genexpr>",
                 "<listcomp>", "<setcomp>", "<dictcomp>"}


def nested_code(code: types.CodeType):
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield const
            if const.co_name not in BASELINE_ONLY:
                yield from nested_code(const)


def test_the_warden_never_looks_a_name_up_at_run_time():
    """Every name its functions use is a closure variable bound at install time: none comes
    from the module's globals or from builtins, which an answer could replace."""
    lookups = {}
    for code in nested_code(warden._warden.__code__):
        if code.co_name in BASELINE_ONLY:
            continue
        names = {i.argval for i in dis.get_instructions(code) if i.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
        if names:
            lookups[code.co_name] = sorted(names)
    assert lookups == {}, f"global or builtin names looked up at run time: {lookups}"
