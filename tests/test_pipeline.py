"""The nbgrader pipeline end to end, per assignment, in a scratch copy of the course.

The student version is generated (as ``make release`` does); known submissions go into
``submitted/``; ``python -m autograder grade`` (what ``make grade`` runs) autogrades them,
writes feedback and exports grades.csv. Then every submission must get exactly its expected
score.
"""

from __future__ import annotations

import csv
import functools
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import submissions as subs
from autograder.grading.course import Course, Report, scratch_course
from conftest import ASSIGNMENTS, ROOT, by_assignment

pytestmark = pytest.mark.pipeline


def cli(course_root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "autograder", "--course", str(course_root), *args],
        capture_output=True, text=True, timeout=900,
    )


@functools.cache
def _graded(assignment: str, workdir: Path) -> tuple[Course, dict[str, Report]]:
    shutil.rmtree(workdir, ignore_errors=True)  # a failed first attempt must not fail the retries
    course = scratch_course(ROOT, workdir, [assignment])
    released = course.release([assignment])  # what `make release` does (tests/test_exchange.py runs that)
    assert all(o.ok for o in released), [o.error for o in released]
    [release_path] = (course.root / "release" / assignment).glob("*.ipynb")
    release_nb = nbformat.read(release_path, as_version=4)
    source_nb = nbformat.read(course.root / "source" / assignment / release_path.name, as_version=4)
    reference = subs.reference_answers(source_nb)
    for submission in subs.plan(assignment):
        if submission.student == "blank":
            nb = release_nb
        else:
            answers = reference | {a: v.source for a, v in submission.answers.items()}
            nb = subs.fill(release_nb, answers)
        subs.write(course.root, assignment, submission.student, nb)
    graded = cli(course.root, "grade", assignment)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    reports = {s: course.report(assignment, s) for s in course.students(assignment)}
    return course, reports


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    def get(assignment: str):
        return _graded(assignment, tmp_path_factory.getbasetemp() / f"course-{assignment}")
    return get


def _variant_params():
    params = []
    for assignment in ASSIGNMENTS:
        for submission in subs.plan(assignment):
            for anchor, variant in submission.answers.items():
                params.append(pytest.param(
                    assignment, submission, variant,
                    id=f"{assignment}-{anchor}-{variant.name}",
                    marks=pytest.mark.xdist_group(assignment),
                ))
    return params


@pytest.mark.parametrize("assignment", by_assignment(ASSIGNMENTS))
def test_reference_solution_gets_full_marks(graded, assignment):
    _, reports = graded(assignment)
    report = reports["reference"]
    assert report.ok, report.error
    lost = [(c.grade_id, c.message) for c in report.cells if c.score < c.max_score]
    assert not lost
    assert report.max_score > 0


@pytest.mark.parametrize("assignment", by_assignment(ASSIGNMENTS))
def test_blank_release_scores_zero_on_every_test_cell(graded, assignment):
    _, reports = graded(assignment)
    report = reports["blank"]
    assert report.ok, report.error
    passing = [c.grade_id for c in report.cells if c.score > 0]
    assert not passing, f"these test cells pass on the blank release: {passing}"


@pytest.mark.parametrize("assignment, submission, variant", _variant_params())
def test_variant_gets_its_exact_score(graded, assignment, submission, variant):
    _, reports = graded(assignment)
    report = reports[submission.student]
    assert report.ok, report.error
    scores = subs.anchor_scores(report.cells)
    score, most = scores[variant.anchor]
    if variant.correct:
        assert variant.expected == most, f"{variant.name} must expect full marks ({most:g})"
    else:
        assert variant.expected < most, f"{variant.name} must expect fewer than {most:g} points"
    messages = [f"{c.grade_id}: {c.score:g} {c.message}" for c in report.cells
                if c.grade_id.split("-")[0] == variant.anchor]
    assert score == variant.expected, "\n".join(messages)
    others = {a: s for a, s in scores.items() if a not in submission.answers and s[0] < s[1]}
    assert not others, f"answers left as the reference lost marks: {others}"


@pytest.mark.parametrize("assignment", by_assignment(ASSIGNMENTS))
def test_grades_csv_lists_every_submission(graded, assignment):
    course, reports = graded(assignment)
    with open(course.root / "grades.csv", newline="") as f:
        rows = {row["student"]: float(row["score"]) for row in csv.DictReader(f)}
    assert rows == {student: report.score for student, report in reports.items()}


@pytest.mark.parametrize("assignment", by_assignment(ASSIGNMENTS))
def test_feedback_is_generated_for_every_submission(graded, assignment):
    course, reports = graded(assignment)
    for student in reports:
        pages = list((course.root / "feedback" / student / assignment).glob("*.html"))
        assert pages, student
        # the learner sees each test's name and message, never the hidden tests' source
        assert not [p.name for p in pages if "BEGIN HIDDEN TESTS" in p.read_text()], student


@pytest.mark.parametrize("assignment", by_assignment(ASSIGNMENTS))
def test_no_honest_submission_is_flagged(graded, assignment):
    # Every known answer, right or wrong, is an honest attempt: none may be flagged for review.
    course, reports = graded(assignment)
    flagged = {student: course.review(assignment, student) for student in reports}
    assert not {s: r for s, r in flagged.items() if r}, flagged
