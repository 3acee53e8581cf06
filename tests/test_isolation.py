"""A submission graded in its own scratch course, kernel sandboxed, reaches nothing else."""

from __future__ import annotations

import tempfile
from pathlib import Path

import nbformat
import pytest
from sqlalchemy import create_engine, text

import submissions as subs
from autograder.grading import isolation, sandbox
from autograder.grading.course import scratch_course
from conftest import ROOT, tree_hash

ASSIGNMENT = "01-iterators"
pytestmark = [
    pytest.mark.pipeline,
    pytest.mark.xdist_group("isolation"),
    pytest.mark.skipif(sandbox.unavailable() is not None, reason="no sandbox here"),
]

ATTEMPTS = """
import os
for path in {reads!r}:
    try:
        open(path, "rb").read(1)
        print("READ", path)
    except OSError as exc:
        print("blocked", type(exc).__name__)
for path in {writes!r}:
    try:
        open(path, "ab").write(b"x")
        print("WROTE", path)
    except OSError as exc:
        print("blocked", type(exc).__name__)
"""


def others_in_gradebook(course, student) -> dict:
    """Everything in the course gradebook except ``student``'s own rows."""
    with isolation.Gradebook(course.db_url) as gb:
        rows = {"definition": isolation.definition(gb, ASSIGNMENT)}
        for sub in gb.find_assignment(ASSIGNMENT).submissions:
            if sub.student.id != student:
                rows[sub.student.id] = sorted(
                    (g.name, g.auto_score, g.manual_score) for nb in sub.notebooks for g in nb.grades)
    return rows


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = scratch_course(ROOT, tmp_path_factory.mktemp("isolated"), [ASSIGNMENT])
    assert all(o.ok for o in course.release([ASSIGNMENT]))
    release = nbformat.read(course.root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    reference = subs.reference_answers(nbformat.read(course.root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4))
    subs.write(course.root, ASSIGNMENT, "other", subs.fill(release, reference))
    assert isolation.autograde(course, ASSIGNMENT, "other").outcome.ok

    other_files = course.root / "submitted" / "other" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    reads = [course.root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", course.root / "gradebook.db", other_files]
    writes = [course.root / "gradebook.db", other_files, course.root / "source" / "x.py"]
    hostile = ATTEMPTS.format(reads=[str(p) for p in reads], writes=[str(p) for p in writes])
    subs.write(course.root, ASSIGNMENT, "hostile",
               subs.fill(release, reference | {"take": hostile + "\n" + reference["take"]}))
    folder = course.root / "submitted" / "hostile" / ASSIGNMENT
    (folder / "autograder").mkdir()
    (folder / "autograder" / "__init__.py").write_text("raise RuntimeError('the shadow package ran')\n")
    (folder / "pytest.py").write_text("raise RuntimeError('the shadow pytest ran')\n")

    before = (tree_hash(course.root / "source", course.root / "submitted" / "other",
                        course.root / "autograded" / "other"), others_in_gradebook(course, "hostile"))
    result = isolation.autograde(course, ASSIGNMENT, "hostile")
    after = (tree_hash(course.root / "source", course.root / "submitted" / "other",
                       course.root / "autograded" / "other"), others_in_gradebook(course, "hostile"))
    return course, result, before, after


def test_the_course_and_the_other_student_are_unchanged(graded):
    course, result, before, after = graded
    assert result.outcome.ok, result.outcome.error
    assert after == before


def test_every_attempt_outside_the_sandbox_was_blocked(graded):
    course, *_ = graded
    nb = nbformat.read(course.root / "autograded" / "hostile" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    [cell] = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "take"]
    printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    assert printed.splitlines() == ["blocked FileNotFoundError"] * 6


def test_files_handed_in_beside_the_notebook_are_ignored_and_named(graded):
    course, result, *_ = graded
    assert result.ignored == ["autograder/", "pytest.py"]
    assert course.report(ASSIGNMENT, "hostile").score == course.report(ASSIGNMENT, "other").max_score


def test_grades_reach_the_course_gradebook_and_autograded(graded):
    course, *_ = graded
    for student in ("other", "hostile"):
        report = course.report(ASSIGNMENT, student)
        assert report.ok and report.score == report.max_score > 0


def test_parallel_grading_merges_the_same_grades_as_serial(graded, tmp_path):
    course, *_ = graded
    students = ["other", "hostile"]
    serial = {s: course.report(ASSIGNMENT, s).cells for s in students}
    results = isolation.autograde_all(course, ASSIGNMENT, students, workers=2)
    assert [(r.outcome.name, r.outcome.ok) for r in results] == [("other", True), ("hostile", True)]
    assert {s: course.report(ASSIGNMENT, s).cells for s in students} == serial


def test_only_scratch_gradebooks_skip_waiting_for_the_disk(tmp_path):
    def synchronous(path: Path) -> int:
        path.parent.mkdir(parents=True, exist_ok=True)
        with create_engine(f"sqlite:///{path}").connect() as connection:
            return connection.execute(text("PRAGMA synchronous")).scalar()

    with tempfile.TemporaryDirectory(prefix=isolation.SCRATCH_PREFIX) as batch:
        assert synchronous(Path(batch, "ada", "course", "gradebook.db")) == 0, "a scratch gradebook: OFF"
    assert synchronous(tmp_path / "course" / "gradebook.db") == 2, "any other gradebook: SQLite's FULL"
