"""Nothing a learner writes is lost: ``make assignment NN`` gives them a copy of their own that
no course command overwrites, not even a re-release (nbgrader's own fetch_assignment, the class
way, is tested in test_exchange.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT

ASSIGNMENT = "01-iterators"
MINE = Path("asyncio-course") / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
ANSWER = "def take(n, iterable):\n    return ['my answer']\n"

pytestmark = pytest.mark.xdist_group("workspace")


def make(course: Path, *goals: str) -> subprocess.CompletedProcess:
    """``make`` in a copy of the course, with this interpreter's venv (already installed)."""
    venv = Path(sys.executable).parent.parent
    return subprocess.run(["make", "-s", "-o", "install", f"VENV={venv}", *goals], cwd=course,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def course(tmp_path):
    for name in ("Makefile", "nbgrader_config.py"):
        shutil.copy(ROOT / name, tmp_path)
    shutil.copytree(ROOT / "source" / ASSIGNMENT, tmp_path / "source" / ASSIGNMENT)
    return tmp_path


def answer_take(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    [cell] = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "take"]
    cell.source = ANSWER
    nbformat.write(nb, path)


def take_cell(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return next(c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "take")


def test_make_assignment_copies_the_released_exercise_and_says_where(course):
    made = make(course, "assignment", "01")
    assert made.returncode == 0, made.stdout + made.stderr
    assert f"your copy: {MINE}" in made.stdout, f"expected the path in the output, got {made.stdout!r}"
    release = course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert (course / MINE).read_bytes() == release.read_bytes(), "the copy is not the released notebook"
    assert "raise NotImplementedError()" in take_cell(course / MINE), "the copy has no blank answer cells"


def test_an_answer_survives_a_re_release_and_a_second_make_assignment(course):
    assert make(course, "assignment", ASSIGNMENT).returncode == 0
    answer_take(course / MINE)
    released = make(course, "release")
    assert released.returncode == 0 and f"released {ASSIGNMENT}" in released.stdout, released.stdout
    again = make(course, "assignment", "01")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "already there; left as it is" in again.stdout, f"got {again.stdout!r}"
    assert take_cell(course / MINE) == ANSWER, "the learner's answer was overwritten"


def test_make_assignment_without_a_number_lists_the_assignments(course):
    usage = make(course, "assignment")
    assert usage.returncode != 0 and ASSIGNMENT in usage.stdout, f"got {usage.stdout!r}"
    unknown = make(course, "assignment", "99")
    assert unknown.returncode != 0 and "no assignment 99" in unknown.stdout, f"got {unknown.stdout!r}"
    assert not (course / "asyncio-course").exists()
