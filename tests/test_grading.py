"""Grading survives bad submissions: each is reported by name, the others are graded."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import nbformat
import pytest

import submissions as subs
from autograder.grading import cli, course as grading
from autograder.grading.course import scratch_course
from autograder.grading.isolation import Gradebook
from conftest import ROOT, VARIANTS

ASSIGNMENT = "01-iterators"
pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("grading-robustness")]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = scratch_course(ROOT, tmp_path_factory.mktemp("robust"), [ASSIGNMENT])
    assert all(o.ok for o in course.release([ASSIGNMENT]))
    release = nbformat.read(course.root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    source = nbformat.read(course.root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    reference = subs.reference_answers(source)

    def submit(student, answers=None, nb=None):
        subs.write(course.root, ASSIGNMENT, student, nb or subs.fill(release, reference | (answers or {})))

    submit("good")
    submit("killer", {"Countdown": "import os\nos._exit(1)"})
    submit("looper", {"read_blocks": "while True:\n    pass"})
    wrong_take = (VARIANTS / ASSIGNMENT / "take" / "wrong_list_then_slice.py").read_text()
    tampered = subs.fill(release, reference | {"take": wrong_take})
    tampered.cells = [c for c in tampered.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "take-consumption"]
    for cell in tampered.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in ("take-check", "take-edges"):
            cell.source = "assert True"
    submit("tamperer", nb=tampered)
    (course.root / "submitted" / "malformed" / ASSIGNMENT).mkdir(parents=True)
    (course.root / "submitted" / "malformed" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").write_text('{"cells": [')
    (course.root / "submitted" / "empty" / ASSIGNMENT).mkdir(parents=True)

    graded = subprocess.run([sys.executable, "-m", "autograder", "--course", str(course.root), "grade"],
                            capture_output=True, text=True, timeout=600)
    course.output = graded
    return course


def points(*prefixes):
    """Points of the assignment's test cells whose grade ids start with one of ``prefixes``."""
    source = nbformat.read(ROOT / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    return sum(cell.metadata.nbgrader["points"] for cell in source.cells
               if cell.metadata.get("nbgrader", {}).get("grade")
               and cell.metadata.nbgrader["grade_id"].startswith(prefixes))


TOTAL = points("")
LOOPER = TOTAL - points("read_blocks-")  # its runaway read_blocks answer loses only those
TAMPERER = TOTAL - points("take-check", "take-consumption")  # a wrong take, tests restored


def test_grade_reports_failures_by_name_and_exits_nonzero(course):
    out = course.output.stdout
    assert course.output.returncode == 1
    assert "01-iterators killer: NOT GRADED - the kernel died" in out
    assert ("01-iterators malformed: NOT GRADED - 01-iterators.ipynb: not a notebook: "
            "not valid JSON (line 1, column 12)") in out
    assert "01-iterators empty: NOT GRADED - no 01-iterators.ipynb in the submission" in out
    assert f"01-iterators good: {TOTAL} / {TOTAL}" in out
    assert "1 cells stopped at the cell time limit: looper read_blocks" in out


def test_everyone_else_is_graded_and_exported(course):
    with open(course.root / "grades.csv", newline="") as f:
        rows = {row["student"]: (row["score"], row["status"]) for row in csv.DictReader(f)}
    assert rows["good"] == (f"{TOTAL:.1f}", "graded")
    assert rows["looper"] == (f"{LOOPER:.1f}", "graded")
    assert rows["tamperer"] == (f"{TAMPERER:.1f}", "graded")
    assert rows["killer"] == ("", "not graded")
    assert rows["malformed"] == ("", "not graded")


def test_a_runaway_cell_is_interrupted_and_costs_only_its_own_marks(course):
    report = course.report(ASSIGNMENT, "looper")
    lost = {c.grade_id: c.message for c in report.cells if c.score < c.max_score}
    assert lost == {"read_blocks-check": "NameError: name 'read_blocks' is not defined",
                    "read_blocks-hidden": "NameError: name 'read_blocks' is not defined"}


def test_deleted_and_edited_test_cells_are_restored(course):
    report = course.report(ASSIGNMENT, "tamperer")
    take = {c.grade_id: c.score for c in report.cells if c.grade_id.startswith("take-")}
    assert take == {"take-check": 0.0, "take-consumption": 0.0, "take-edges": 1.0}


def test_regrading_gives_the_same_scores(course):
    before = {s: course.report(ASSIGNMENT, s).cells for s in ("good", "tamperer")}
    assert all(o.ok for o in course.autograde(ASSIGNMENT, ["good", "tamperer"]))
    assert {s: course.report(ASSIGNMENT, s).cells for s in before} == before


def test_check_prints_a_report_for_one_notebook(course, capsys):
    notebook = course.root / "submitted" / "tamperer" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert cli.main(["--course", str(ROOT), "check", str(notebook)]) == 1  # a test failed
    out = capsys.readouterr().out
    assert "FAIL take-consumption" in out and "ok   take-edges" in out
    assert out.strip().endswith(f"total {TAMPERER} / {TOTAL}")


def test_check_explains_bad_input(tmp_path, capsys):
    assert cli.main(["--course", str(ROOT), "check", str(tmp_path / "nope.ipynb")]) == 2
    assert "no notebook at" in capsys.readouterr().err
    (tmp_path / "99-unknown.ipynb").write_text("{}")
    assert cli.main(["--course", str(ROOT), "check", str(tmp_path / "99-unknown.ipynb")]) == 2
    assert "no assignment '99-unknown'" in capsys.readouterr().err
    assert cli.main(["--course", str(tmp_path), "grade"]) == 2
    assert "not a course directory" in capsys.readouterr().err


@pytest.mark.parametrize("log, message", [
    ("    nbclient.exceptions.DeadKernelError: Kernel died", "the kernel died"),
    ("    nbformat.reader.NotJSONError: Notebook does not appear to be JSON", "not a notebook"),
    ("    nbclient.exceptions.CellTimeoutError: A cell timed out", "did not stop when interrupted"),
    ("    KeyError: 'grade_id'", "KeyError: 'grade_id'"),
    ("    zmq.error.Again: Resource temporarily unavailable", "wrote into the kernel's own connections"),
    ("nothing useful", "without saying why"),
])
def test_failures_are_explained_in_plain_words(log, message):
    outcome = grading._outcome("someone", {"success": False, "log": log})
    assert not outcome.ok and message in outcome.error


def test_a_new_gradebook_is_nbgraders_own_made_without_the_alembic_command(tmp_path, monkeypatch):
    def dump(path: Path) -> list[str]:
        with closing(sqlite3.connect(path)) as db:
            return list(db.iterdump())

    theirs, ours = tmp_path / "theirs.db", tmp_path / "ours.db"
    Gradebook(f"sqlite:///{theirs}").close()  # nbgrader stamps it by running `alembic heads`
    monkeypatch.setenv("PATH", str(tmp_path))  # no alembic command to run from here on
    grading.new_gradebook(f"sqlite:///{ours}")
    Gradebook(f"sqlite:///{ours}").close()  # as nbgrader opens it (it adds the course's row)
    assert dump(ours) == dump(theirs)
