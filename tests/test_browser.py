"""A learner's day in a real browser: headless Chromium against ``make lab``'s server.

(a) A lesson runs from the Run menu with no cell showing an error, and its timelines are
pictures. (b) A learner's own copy of an exercise (``make assignment 01``): a self-check fails
before the answer, and passes once an answer is typed into the answer cell and run.

The server runs in a copy of the course, so no test writes into the repository's notebooks
(JupyterLab saves what it has open). A failing test saves a screenshot and the server's log
under test-artifacts/ and says so in its error.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytest.importorskip("selenium", reason="selenium is not installed: run `make install` (pyproject.toml lists it)")

import browser  # noqa: E402
import labserver  # noqa: E402
from conftest import ROOT  # noqa: E402

LESSON = "00-start-here"  # the start notebook: short, with a timeline picture
ASSIGNMENT = "01-iterators"
MINE = f"asyncio-course/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
ANSWER = "def take(n, iterable): return list(itertools.islice(iterable, n))"
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = [
    pytest.mark.xdist_group("browser"),
    pytest.mark.skipif(bool(browser.missing()), reason=f"BROWSER TESTS SKIPPED: {browser.missing()}"),
]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A copy of the course with the lesson, the exercise, and a learner's copy of it."""
    course = tmp_path_factory.mktemp("browser-course")
    for name in ("Makefile", "nbgrader_config.py"):
        shutil.copy(ROOT / name, course)
    (course / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / f"{LESSON}.ipynb", course / "notebooks")
    shutil.copytree(ROOT / "source" / ASSIGNMENT, course / "source" / ASSIGNMENT)
    venv = Path(sys.executable).parent.parent
    made = subprocess.run(["make", "-s", "-o", "install", f"VENV={venv}", "assignment", "01"], cwd=course,
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0 and (course / MINE).is_file(), made.stdout + made.stderr
    return course


@pytest.fixture(scope="module")
def lab(course, tmp_path_factory):
    with labserver.running(course, tmp_path_factory.mktemp("browser-lab")) as lab:
        yield lab


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    driver = browser.start(tmp_path_factory.mktemp("chromium"))
    yield driver
    driver.quit()


def open_notebook(driver, lab, course: Path, path: str) -> browser.Notebook:
    cells = len(nbformat.read(course / path, as_version=4).cells)
    return browser.Notebook(driver, f"{lab.url('lab/tree/' + path)}?token={lab.token}", cells)


def cell_index(path: Path, predicate) -> list[int]:
    return [i for i, c in enumerate(nbformat.read(path, as_version=4).cells) if predicate(c)]


def test_a_lesson_runs_all_cells_without_errors_and_draws_its_timelines(course, lab, driver):
    path = course / "notebooks" / f"{LESSON}.ipynb"
    pictures = cell_index(path, lambda c: c.cell_type == "code" and "timeline." in c.source)
    assert pictures, f"{LESSON} has no timeline picture to check"
    with browser.screenshot_on_failure(driver, ARTIFACTS, "lesson", lab.log):
        notebook = open_notebook(driver, lab, course, f"notebooks/{LESSON}.ipynb")
        notebook.run_all()
        errors = {i: notebook.errors(i) for i in range(len(notebook.cells())) if notebook.errors(i)}
        assert not errors, f"cells showing errors (index: stderr): {errors}"
        for i in pictures:
            images = notebook.images(i)
            assert images and all(w > 0 and h > 0 for w, h in images), \
                f"cell {i}: expected a timeline picture, got images {images}"


def test_a_learner_types_an_answer_and_the_self_check_passes(course, lab, driver):
    def grade_id(cell):
        return cell.metadata.get("nbgrader", {}).get("grade_id")

    [setup] = cell_index(course / MINE, lambda c: grade_id(c) == "setup")
    [answer] = cell_index(course / MINE, lambda c: grade_id(c) == "take")
    [check] = cell_index(course / MINE, lambda c: grade_id(c) == "take-check")
    with browser.screenshot_on_failure(driver, ARTIFACTS, "exercise", lab.log):
        notebook = open_notebook(driver, lab, course, MINE)
        notebook.run_cell(setup)
        notebook.run_cell(check)
        before = notebook.errors(check)
        assert before and "NameError" in before[0], f"expected the unanswered self-check to fail, got {before}"
        notebook.type_into(answer, ANSWER)
        notebook.run_cell(answer)
        assert not notebook.errors(answer), f"the answer cell failed: {notebook.errors(answer)}"
        notebook.run_cell(check)
        assert not notebook.errors(check), f"expected the self-check to pass, got {notebook.errors(check)}"
        assert notebook.prompt(notebook.cells()[check]).strip("[]:").isdigit(), "the self-check did not run"
