"""``python -m autograder check NOTEBOOK``: one notebook graded against the hidden tests, for a
learner or an instructor. Its exit status says whether every test passed; its report lists the
test cells in notebook order and says "not answered" and "stopped at the time limit" in words."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

import submissions as subs
from autograder.grading import check, cli, course as grading
from conftest import ROOT

ASSIGNMENT = "01-iterators"
pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("check")]

SOURCE = nbformat.read(ROOT / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
TEST_CELLS = [c.metadata.nbgrader["grade_id"] for c in SOURCE.cells
              if c.metadata.get("nbgrader", {}).get("grade")]
# Waits for ever on take(0, ...), which only the hidden take-consumption cell asks for (asleep:
# a spinning loop would burn the 10 s of CPU for nothing; tests/test_grading.py's looper spins).
TAKE_HANGS_ON_ZERO = "import itertools, time\n\ndef take(n, iterable):\n    while n == 0:\n        time.sleep(0.5)\n" \
                     "    return list(itertools.islice(iterable, n))\n"


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("release")
    grading.empty_gradebook(tmp / "gradebook.db")
    course = grading.scratch_course(ROOT, tmp, [ASSIGNMENT])
    assert all(o.ok for o in course.release([ASSIGNMENT]))
    return nbformat.read(tmp / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)


def run_check(tmp_path, capsys, nb) -> tuple[int, list[str]]:
    path = tmp_path / f"{ASSIGNMENT}.ipynb"
    nbformat.write(nb, path)
    status = cli.main(["--course", str(ROOT), "check", str(path)])
    return status, capsys.readouterr().out.splitlines()


def lines_by_cell(lines: list[str]) -> dict[str, str]:
    return {line.split()[1]: line for line in lines if line.startswith(("ok", "FAIL"))}


def test_a_correct_notebook_passes_with_its_cells_in_notebook_order(release, tmp_path, capsys):
    status, lines = run_check(tmp_path, capsys, subs.fill(release, subs.reference_answers(SOURCE)))
    assert status == 0, "\n".join(lines)
    listed = list(lines_by_cell(lines))
    assert listed == TEST_CELLS, f"expected the notebook's order {TEST_CELLS}, got {listed}"
    assert all(line.startswith("ok") for line in lines_by_cell(lines).values()), "\n".join(lines)


def test_the_blank_release_fails_and_says_not_answered(release, tmp_path, capsys):
    status, lines = run_check(tmp_path, capsys, release)
    assert status == 1, f"expected exit status 1 for failed tests, got {status}"
    cells = lines_by_cell(lines)
    assert list(cells) == TEST_CELLS
    wrong = [line for line in cells.values() if "not answered" not in line or "NameError" in line]
    assert not wrong, "lines that do not say 'not answered':\n" + "\n".join(wrong)


def test_a_runaway_cell_and_a_broken_answer_are_named(release, tmp_path, capsys):
    answers = subs.reference_answers(SOURCE) | {"take": TAKE_HANGS_ON_ZERO,
                                                "chunked": "def chunked(n, iterable)\n    pass\n"}
    status, lines = run_check(tmp_path, capsys, subs.fill(release, answers))
    assert status == 1, "\n".join(lines)
    cells = lines_by_cell(lines)
    assert "stopped at the 10 s time limit" in cells["take-consumption"], cells["take-consumption"]
    assert "KeyboardInterrupt" not in "\n".join(lines)
    assert cells["take-check"].startswith("ok") and cells["take-edges"].startswith("ok")
    for grade_id in TEST_CELLS:
        if grade_id.startswith("chunked-"):
            assert "its answer cell failed: SyntaxError" in cells[grade_id], cells[grade_id]
    assert lines[-1] == f"total {points(lost=('chunked-', 'take-consumption'))} / {points()}"


def points(lost: tuple[str, ...] = ()) -> float:
    return sum(c.metadata.nbgrader["points"] for c in SOURCE.cells
               if c.metadata.get("nbgrader", {}).get("grade")
               and not any(c.metadata.nbgrader["grade_id"].startswith(p) for p in lost))


def test_an_answer_cell_stopped_at_the_limit_is_named(release):
    nb = subs.fill(release, {"take": "while True:\n    pass"})
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id == "take":
            cell.outputs = [nbformat.v4.new_output("error", ename="KeyboardInterrupt", evalue="", traceback=[])]
    report = grading.Report("check", True, [grading.CellScore("take-check", 0, 1, "NameError: name 'take' is not defined")])
    [cell] = check.explained(report, nb, 10).cells
    assert cell.message == "its answer cell was stopped at the 10 s time limit", cell.message


def test_a_deleted_test_cell_is_put_back_without_a_warning(release, tmp_path):
    """nbgrader restores it (with no cell id): the report says so in words, nothing on stderr."""
    nb = subs.fill(release, subs.reference_answers(SOURCE))
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != TEST_CELLS[0]]
    path = tmp_path / f"{ASSIGNMENT}.ipynb"
    nbformat.write(nb, path)
    done = subprocess.run([sys.executable, "-m", "autograder", "--course", str(ROOT), "check", str(path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "restored" in done.stdout, done.stdout + done.stderr
    assert "Warning" not in done.stderr, done.stderr
