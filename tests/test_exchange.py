"""nbgrader's exchange end to end, with real ``nbgrader`` commands: an instructor and two learners.

Each person has a HOME of their own (their nbgrader config, their exchange cache) and works in
their own folder; only the exchange is shared, as on one machine with several accounts:
release_assignment -> fetch_assignment -> submit -> collect -> autograde -> generate_feedback ->
release_feedback -> fetch_feedback.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

import submissions as subs
from conftest import ROOT, VARIANTS

ASSIGNMENT = "01-iterators"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
LEARNERS = ("alice", "bob")
WRONG_TAKE = VARIANTS / ASSIGNMENT / "take" / "wrong_list_then_slice.py"

pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("exchange")]


def nbgrader(*args: str, home: Path, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    """Run one ``nbgrader`` command as the person whose HOME is ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER_")}
    # nbgrader runs the `alembic` command beside it to open the gradebook.
    env.update(HOME=str(home), PATH=os.pathsep.join([str(Path(sys.executable).parent), env["PATH"]]))
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=300)
    if check:
        assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
    return result


def learner_config(exchange: Path, student: str) -> str:
    """What a learner's ~/.jupyter/nbgrader_config.py says: the same exchange and course as the
    instructor's. On a shared machine the student id is the login name; here both learners are
    one Unix user, so each config names its learner."""
    return "\n".join([
        "c = get_config()",
        f"c.Exchange.root = {str(exchange)!r}",
        'c.CourseDirectory.course_id = "asyncio-course"',
        "c.Exchange.path_includes_course = True",
        f"c.CourseDirectory.student_id = {student!r}",
        "",
    ])


class Classroom:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.course = tmp / "instructor" / "course"
        self.course.mkdir(parents=True)
        shutil.copy(ROOT / "nbgrader_config.py", self.course)
        shutil.copytree(ROOT / "source" / ASSIGNMENT, self.course / "source" / ASSIGNMENT)
        self.exchange = self.course / "exchange"  # what the course's config names

    def home(self, person: str) -> Path:
        return self.tmp / person

    def instructor(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return nbgrader(*args, home=self.home("instructor"), cwd=self.course, check=check)

    def learner(self, student: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        home = self.home(student)
        config = home / ".jupyter" / "nbgrader_config.py"
        if not config.exists():
            config.parent.mkdir(parents=True)
            config.write_text(learner_config(self.exchange, student))
        return nbgrader(*args, home=home, cwd=home, check=check)

    def copy_of(self, student: str) -> Path:
        """Where fetch_assignment puts a learner's copy (path_includes_course)."""
        return self.home(student) / "asyncio-course" / ASSIGNMENT / NOTEBOOK

    def each_learner(self, *args: str) -> None:
        with ThreadPoolExecutor(len(LEARNERS)) as pool:
            list(pool.map(lambda s: self.learner(s, *args), LEARNERS))


def answers_for(student: str, release: nbformat.NotebookNode) -> nbformat.NotebookNode:
    source = nbformat.read(ROOT / "source" / ASSIGNMENT / NOTEBOOK, as_version=4)
    answers = subs.reference_answers(source)
    if student == "bob":  # one wrong answer
        answers["take"] = WRONG_TAKE.read_text()
    return subs.fill(release, answers)


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    room = Classroom(tmp_path_factory.mktemp("exchange"))
    room.instructor("generate_assignment", ASSIGNMENT)
    room.instructor("release_assignment", ASSIGNMENT)
    room.each_learner("fetch_assignment", ASSIGNMENT)
    for student in LEARNERS:
        fetched = nbformat.read(room.copy_of(student), as_version=4)
        nbformat.write(answers_for(student, fetched), room.copy_of(student))
    room.each_learner("submit", ASSIGNMENT)
    room.instructor("collect", ASSIGNMENT)
    room.instructor("autograde", ASSIGNMENT)
    room.instructor("generate_feedback", ASSIGNMENT)
    room.instructor("release_feedback", ASSIGNMENT)
    room.each_learner("fetch_feedback", ASSIGNMENT)
    return room


def points(prefix: str = "") -> float:
    source = nbformat.read(ROOT / "source" / ASSIGNMENT / NOTEBOOK, as_version=4)
    return sum(c.metadata.nbgrader["points"] for c in source.cells
               if c.metadata.get("nbgrader", {}).get("grade")
               and c.metadata.nbgrader["grade_id"].startswith(prefix))


def expected_score(student: str) -> float:
    if student == "alice":
        return points()
    wrong = float(subs.EXPECTED.search(WRONG_TAKE.read_text()).group(1))
    return points() - points("take-") + wrong


def feedback_pages(room: Classroom, student: str) -> list[Path]:
    return sorted((room.home(student) / "asyncio-course" / ASSIGNMENT / "feedback").glob("*/*.html"))


def test_the_exchange_lives_in_the_course_folder(classroom):
    outbound = classroom.exchange / "asyncio-course" / "outbound" / ASSIGNMENT / NOTEBOOK
    assert outbound.is_file(), f"release_assignment left nothing at {outbound}"


def test_collect_takes_each_learners_submission(classroom):
    for student in LEARNERS:
        submitted = classroom.course / "submitted" / student / ASSIGNMENT / NOTEBOOK
        assert submitted.is_file(), f"no collected submission for {student}"


def test_each_learner_is_graded_on_their_own_answers(classroom):
    with Gradebook(f"sqlite:///{classroom.course / 'gradebook.db'}") as gb:
        scores = {s: gb.find_submission(ASSIGNMENT, s).score for s in LEARNERS}
    want = {s: expected_score(s) for s in LEARNERS}
    assert scores == want, f"expected {want}, got {scores}"
    assert want["bob"] < want["alice"]


def test_each_learner_fetches_their_own_feedback(classroom):
    for student in LEARNERS:
        pages = feedback_pages(classroom, student)
        assert [p.name for p in pages] == [f"{ASSIGNMENT}.html"], f"{student}'s feedback: {pages}"
        text = pages[0].read_text()
        score = f"{expected_score(student):g}"
        assert re.search(rf"Score: {score}(\.0)? / {points():g}", text), \
            f"{student}'s page does not show {score} / {points():g}"


FETCHED_FROM_NETWORK = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//",
                                  re.IGNORECASE)


def test_feedback_pages_load_nothing_from_the_network(classroom):
    for page in feedback_pages(classroom, "alice") + sorted((classroom.course / "feedback").rglob("*.html")):
        found = FETCHED_FROM_NETWORK.findall(page.read_text())
        assert not found, f"{page} loads {found}"


def test_fetch_never_overwrites_a_learners_copy(classroom):
    before = classroom.copy_of("alice").read_text()
    again = classroom.learner("alice", "fetch_assignment", ASSIGNMENT, check=False)
    assert again.returncode != 0 and "already have a copy" in again.stdout + again.stderr, \
        f"expected fetch_assignment to refuse, got exit {again.returncode}:\n{again.stdout}{again.stderr}"
    classroom.instructor("generate_assignment", ASSIGNMENT, "--force")
    classroom.instructor("release_assignment", ASSIGNMENT, "--force")
    assert classroom.copy_of("alice").read_text() == before, "a re-release changed alice's notebook"
