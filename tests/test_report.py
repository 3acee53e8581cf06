"""The class report (``python -m autograder report``) on a class whose results are known.

A scratch course of 01-iterators, graded for real by ``python -m autograder grade``: two
learners hand in the reference answers, two the blank release, one the reference with one
anchor answered by a known wrong variant that scores 0 (so each of that anchor's test cells
fails), one a file that is not a notebook (not graded); the roster, imported with
``nbgrader db student import`` as the README says, names one more learner who handed in
nothing. So every count, message and score of the report is known in advance.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import nbformat
import pytest

import submissions as subs
from autograder.grading import report
from autograder.grading.course import Course, scratch_course
from conftest import ROOT

ASSIGNMENT = "01-iterators"
REFERENCE, BLANK = ("ref-1", "ref-2"), ("blank-1", "blank-2")
ROSTER = [("ada", "Ada", "Lovelace"), ("dana", "Dana", "Scully")]  # dana hands in nothing
FETCHED_FROM_NETWORK = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//",
                                  re.IGNORECASE)

pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("report")]


def cli(course: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd or course, capture_output=True, text=True,
                          timeout=900)


def zero_variant() -> subs.Variant:
    """A known wrong answer that fails every test cell of its anchor."""
    found = [v for v in subs.variants(ASSIGNMENT) if not v.correct and v.expected == 0]
    assert found, f"{ASSIGNMENT} has no wrong variant with '# Expected: 0' to build the class from"
    return found[0]


def points() -> dict[str, float]:
    source = nbformat.read(ROOT / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    return {c.metadata.nbgrader["grade_id"]: c.metadata.nbgrader["points"] for c in source.cells
            if c.metadata.get("nbgrader", {}).get("grade")}


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    course = scratch_course(ROOT, tmp_path_factory.mktemp("report") / "course", [ASSIGNMENT])
    released = cli(course.root, "autograder", "release", ASSIGNMENT)
    assert released.returncode == 0, released.stdout + released.stderr
    release = nbformat.read(course.root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    source = nbformat.read(course.root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    reference = subs.reference_answers(source)
    wrong = zero_variant()
    for student in REFERENCE:
        subs.write(course.root, ASSIGNMENT, student, subs.fill(release, reference))
    for student in BLANK:
        subs.write(course.root, ASSIGNMENT, student, release)
    subs.write(course.root, ASSIGNMENT, "ada", subs.fill(release, reference | {wrong.anchor: wrong.source}))
    broken = course.root / "submitted" / "broken" / ASSIGNMENT
    broken.mkdir(parents=True)
    (broken / f"{ASSIGNMENT}.ipynb").write_text("a letter, not a notebook")
    graded = cli(course.root, "autograder", "grade", ASSIGNMENT)
    assert graded.returncode in (0, 1), graded.stdout + graded.stderr  # 1: "broken" is not graded
    roster = course.root / "students.csv"
    with open(roster, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "first_name", "last_name"])
        writer.writerows(ROSTER)
    imported = cli(course.root, "nbgrader", "db", "student", "import", roster.name)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    return course


def test_each_test_cell_counts_who_passed_and_how_the_others_failed(course):
    wrong = zero_variant()
    built = report.build(course, ASSIGNMENT)
    assert [c.grade_id for c in built.cells] == list(points()), "test cells in notebook order"
    for cell in built.cells:
        anchor = cell.grade_id.split("-")[0]
        blank = f"NameError: name '{anchor}' is not defined"
        assert (cell.graded, cell.max_score) == (5, points()[cell.grade_id]), cell.grade_id
        if anchor == wrong.anchor:
            assert cell.passed == 2, f"{cell.grade_id}: only the two reference answers pass, got {cell.passed}"
            [ada] = [m for m in cell.failures if m != blank]
            assert cell.failures == Counter({blank: 2, ada: 1}), cell.grade_id
            assert cell.failures.most_common(1) == [(blank, 2)]
            assert ada == {c.grade_id: c.message for c in course.report(ASSIGNMENT, "ada").cells}[cell.grade_id]
        else:
            assert cell.passed == 3, f"{cell.grade_id}: reference answers pass, got {cell.passed}"
            assert cell.failures == Counter({blank: 2}), cell.grade_id


def test_scores_and_who_was_not_graded(course):
    wrong, most = zero_variant(), sum(points().values())
    anchor_points = sum(p for g, p in points().items() if g.split("-")[0] == wrong.anchor)
    built = report.build(course, ASSIGNMENT)
    assert built.max_score == most
    assert built.scores == {"ref-1": most, "ref-2": most, "blank-1": 0, "blank-2": 0,
                            "ada": most - anchor_points + wrong.expected}
    assert (built.not_graded, built.no_submission) == (["broken"], ["dana"])
    assert built.students == 7
    tally = {(low, high): n for low, high, n in report.bins(built)}
    assert sum(tally.values()) == 5 and tally[(0, most / 10)] == 2 and tally[(most * 0.9, most)] == 2


def test_the_command_prints_the_table_and_writes_an_offline_page(course):
    shown = cli(course.root, "autograder", "report", ASSIGNMENT[:2])  # a prefix, as make report 01
    assert shown.returncode == 0, shown.stdout + shown.stderr
    out = shown.stdout
    assert f"{ASSIGNMENT}: 7 students - 5 graded, 1 not graded, 1 without a submission" in out
    assert "not graded: broken" in out and "no submission: dana" in out
    wrong = zero_variant()
    line = next(line for line in out.splitlines() if line.startswith(f"{wrong.anchor}-check "))
    assert re.search(rf"\b2/5\s+40%\s+2 x NameError: name '{wrong.anchor}' is not defined", line), line
    page = course.root / "reports" / f"{ASSIGNMENT}.html"
    assert f"report page: {page}" in out
    text = page.read_text()
    assert not FETCHED_FROM_NETWORK.findall(text), "the page loads something from the network"
    assert text.count('src="data:image/png;base64,') == 2
    assert all(grade_id in text for grade_id in points())
    for picture in ("pass-rate", "scores"):
        assert (course.root / "reports" / f"{ASSIGNMENT}-{picture}.png").read_bytes().startswith(b"\x89PNG")


def test_an_assignment_the_gradebook_does_not_know_is_named(course):
    shown = cli(course.root, "autograder", "report", "99-nothing")
    assert shown.returncode == 2
    assert "no assignment '99-nothing'" in shown.stderr and ASSIGNMENT in shown.stderr, shown.stderr


def test_the_distribution_puts_full_marks_in_the_last_range():
    built = report.ClassReport("a", 10, [], {"x": 10, "y": 0, "z": 4.5}, [], [])
    assert [n for _, _, n in report.bins(built, 5)] == [1, 0, 1, 0, 1]
    assert report.distribution(built)[0] == "scores (out of 10): mean 4.8, median 4.5, lowest 0, highest 10"


def test_the_same_failure_counts_once_whatever_its_addresses_and_task_numbers():
    first = "race(<function <lambda> at 0x7f037e22e2a0>) raised X; pending: ['Task-205']"
    second = "race(<function <lambda> at 0x7fadd830a0c0>) raised X; pending: ['Task-17']"
    assert report._same_for_everyone(first) == report._same_for_everyone(second), (first, second)
    assert report._same_for_everyone("expected 1, got 2") == "expected 1, got 2"
