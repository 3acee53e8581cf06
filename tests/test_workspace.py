"""Nothing a learner writes is lost: ``make assignment NN`` gives them a copy of their own that
no course command overwrites, not even a re-release, and says when a newer release exists
(nbgrader's own fetch_assignment, the class way, is tested in test_exchange.py). And the
learner's clone stays clean: running a lesson changes nothing git sees."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import nbformat
import pytest

import labserver
from conftest import ROOT, execute

README = (ROOT / "README.md").read_text()
VENV = Path(sys.executable).parent.parent

ASSIGNMENT = "01-iterators"
MINE = Path("asyncio-course") / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
ANSWER = "def take(n, iterable):\n    return ['my answer']\n"

pytestmark = pytest.mark.xdist_group("workspace")


def make(course: Path, *goals: str) -> subprocess.CompletedProcess:
    """``make`` in a copy of the course, with this interpreter's venv (already installed)."""
    return subprocess.run(["make", "-s", "-o", "install", f"VENV={VENV}", *goals], cwd=course,
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


def test_an_answer_survives_re_releases_and_a_newer_release_is_taken_beside_it(course):
    for command in ("make assignment 01", "make assignment 01 RESET=1"):
        assert f"`{command}`" in README, f"README no longer says `{command}`"
    assert make(course, "assignment", ASSIGNMENT).returncode == 0
    answer_take(course / MINE)
    released = make(course, "release")  # the instructor releases the same exercises again
    assert released.returncode == 0 and f"released {ASSIGNMENT}" in released.stdout, released.stdout
    again = make(course, "assignment", "01")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "already there; left as it is" in again.stdout, f"got {again.stdout!r}"
    assert "newer release" not in again.stdout, f"the same release again is not newer: {again.stdout!r}"
    assert take_cell(course / MINE) == ANSWER, "the learner's answer was overwritten"

    source = course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"  # a git pull changes it
    nb = nbformat.read(source, as_version=4)
    nb.cells[0].source += "\n\nA sentence the new release adds."
    nbformat.write(nb, source)
    told = make(course, "assignment", "01")
    assert told.returncode == 0, told.stdout + told.stderr
    for said in ("already there; left as it is", f"A newer release of {ASSIGNMENT} exists",
                 "make assignment 01 RESET=1"):
        assert said in told.stdout, f"expected {said!r} in {told.stdout!r}"
    assert take_cell(course / MINE) == ANSWER, "the learner's answer was overwritten"

    kept = []
    for _ in range(2):  # twice in the same second: two old copies, both kept
        reset = make(course, "assignment", "01", "RESET=1")
        assert reset.returncode == 0, reset.stdout + reset.stderr
        found = re.search(r"your previous copy, answers and all: (\S+)", reset.stdout)
        assert found and f"your copy: {MINE}" in reset.stdout, f"got {reset.stdout!r}"
        kept.append(course / found.group(1))
    assert kept[0] != kept[1] and {k.parent.parent for k in kept} == {course / "asyncio-course"}, kept
    assert take_cell(kept[0]) == ANSWER, "the old copy lost the learner's answer"
    assert "A sentence the new release adds." in (course / MINE).read_text()
    release = course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert (course / MINE).read_bytes() == release.read_bytes(), "the new copy is not the release"
    latest = make(course, "assignment", "01")
    assert "newer release" not in latest.stdout, f"the copy is the latest: {latest.stdout!r}"


def test_make_assignment_without_a_number_lists_the_assignments(course):
    usage = make(course, "assignment")
    assert usage.returncode != 0 and ASSIGNMENT in usage.stdout, f"got {usage.stdout!r}"
    unknown = make(course, "assignment", "99")
    assert unknown.returncode != 0 and "no assignment 99" in unknown.stdout, f"got {unknown.stdout!r}"
    assert not (course / "asyncio-course").exists()


# --- A learner's clone stays clean -------------------------------------------------------

def git(clone: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Learner", "-c", "user.email=learner@localhost", *args],
                          cwd=clone, capture_output=True, text=True, check=True).stdout


def set_up(clone: Path) -> subprocess.CompletedProcess:
    """``make install`` as a learner runs it, with .venv already there (this interpreter's)."""
    return subprocess.run(["make", "-s", "-o", ".venv/.installed", "install"], cwd=clone,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def clone(tmp_path):
    """A git clone of the course's notebooks as a learner has it, with .venv in it."""
    for name in ("Makefile", ".gitattributes", ".gitignore", "pyproject.toml", "nbgrader_config.py"):
        shutil.copy(ROOT / name, tmp_path)
    for folder in ("notebooks", "source"):
        shutil.copytree(ROOT / folder, tmp_path / folder,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    (tmp_path / ".venv").symlink_to(VENV)
    git(tmp_path, "init", "-q")
    (tmp_path / ".git" / "info" / "exclude").write_text(".venv\n")  # a link here, a folder for learners
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "the course")
    return tmp_path


def test_set_up_installs_the_filter_once_and_every_notebook_is_committed_as_it_makes_it(clone):
    first, second = set_up(clone), set_up(clone)
    assert first.returncode == 0 and "git: notebooks are compared without their outputs" in first.stdout, first
    assert second.returncode == 0 and second.stdout == "", f"not idempotent: {second.stdout!r}"
    [clean] = git(clone, "config", "--get-all", "filter.nbstripout.clean").splitlines()
    assert clean.startswith(".venv/bin/python -m nbstripout --keep-id"), clean
    # The filter, once over every notebook (-t: one after the other on stdout), byte for byte.
    notebooks = git(clone, "ls-files", "*.ipynb").split()
    stripped = subprocess.run(f"{clean} -t {' '.join(notebooks)}", shell=True, cwd=clone,
                              capture_output=True, check=True).stdout
    if stripped != b"".join((clone / name).read_bytes() for name in notebooks):
        changed = [name for name in notebooks if subprocess.run(
            f"{clean} -t {name}", shell=True, cwd=clone, capture_output=True).stdout != (clone / name).read_bytes()]
        pytest.fail(f"notebooks the filter would change (commit them as it makes them): {changed}")


def run_lesson_in_place(clone: Path) -> Path:
    lesson = clone / "notebooks" / "01-iterators.ipynb"
    committed = lesson.read_bytes()
    nbformat.write(execute(lesson), lesson)  # what JupyterLab writes when it saves the run
    assert lesson.read_bytes() != committed and b'"outputs": []' in committed
    return lesson


def test_a_lesson_run_is_no_change_to_git_s_content_and_a_pull_updates_it(clone):
    assert set_up(clone).returncode == 0
    lesson = clone / "notebooks" / "01-iterators.ipynb"
    git(clone, "checkout", "-q", "-b", "upstream")  # the course's next version of the lesson
    nb = nbformat.read(lesson, as_version=4)
    nb.cells[0].source += " (updated)"
    nbformat.write(nb, lesson)
    git(clone, "commit", "-q", "-am", "a newer lesson")
    git(clone, "checkout", "-q", "-")

    run_lesson_in_place(clone)
    assert git(clone, "diff", "--", str(lesson)) == "", "git sees the outputs"
    git(clone, "add", "notebooks")  # as README says: records the same content, with the new size
    assert git(clone, "status", "--porcelain") == ""
    assert "`git add notebooks`" in README
    git(clone, "merge", "-q", "upstream")  # what git pull does once it has fetched
    assert "(updated)" in lesson.read_text() and git(clone, "status", "--porcelain") == ""


def test_running_a_lesson_leaves_the_clone_clean(clone, tmp_path_factory):
    assert set_up(clone).returncode == 0
    lesson = clone / "notebooks" / "01-iterators.ipynb"
    ran = execute(lesson)
    with labserver.running(clone, tmp_path_factory.mktemp("lab")) as lab:  # saved as JupyterLab saves
        request = urllib.request.Request(
            lab.url("api/contents/notebooks/01-iterators.ipynb"), method="PUT",
            data=json.dumps({"type": "notebook", "format": "json", "content": ran}).encode(),
            headers={"Authorization": f"token {lab.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200
    assert lesson.read_bytes() != git(clone, "show", "HEAD:notebooks/01-iterators.ipynb").encode()
    assert git(clone, "status", "--porcelain") == "", "the lesson run shows as a change"


def test_set_up_leaves_git_alone_outside_a_clone(course):
    made = subprocess.run(["make", "-s", "-o", f"{VENV}/.installed", f"VENV={VENV}", "install"],
                          cwd=course, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0 and made.stdout == "", made


def test_a_conda_environment_gets_only_the_course_and_no_venv(tmp_path):
    env = tmp_path / "conda-env"
    (env / "conda-meta").mkdir(parents=True)  # what marks a conda environment's folder
    planned = subprocess.run(["make", "-n", f"VENV={env}", "install"], cwd=ROOT,
                             capture_output=True, text=True, timeout=60)
    assert f"{env}/bin/python -m pip install --quiet --no-deps -e ." in planned.stdout, planned.stdout
    assert "-m venv" not in planned.stdout and "--upgrade pip" not in planned.stdout, planned.stdout


def test_a_python_older_than_3_11_is_named_with_the_way_out(tmp_path):
    old = shutil.which("python3.10") or next(Path.home().glob(".pyenv/versions/3.10*/bin/python3.10"), None)
    if old is None:
        pytest.skip("no Python 3.10 on this machine")
    made = subprocess.run(["make", "-s", f"PYTHON={old}", f"VENV={tmp_path / 'venv'}", "lab"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert made.returncode != 0 and "The course needs Python 3.11 or newer" in made.stdout, made
    assert "make lab PYTHON=python3.12" in made.stdout and not (tmp_path / "venv").exists(), made.stdout
