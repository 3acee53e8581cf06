"""The instructor's round exactly as README.md writes it, with an instructor and two learners.

Each person has a HOME of their own (their nbgrader config, their exchange cache) and works in
their own folder; only the exchange is shared, as on one machine with several accounts:
``make release 01`` -> ``nbgrader release_assignment`` -> fetch_assignment -> submit ->
``nbgrader collect`` -> ``make grade`` -> the Formgrader's view of a submission in a real
browser (no script of the submission runs; a score and a comment typed there are saved) ->
``nbgrader generate_feedback --force`` (after grading by hand) -> ``nbgrader release_feedback``
-> fetch_feedback -> the feedback page in the browser, with no request leaving the machine.
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

import browser
import labserver
import submissions as subs
from conftest import ROOT, VARIANTS

ASSIGNMENT = "01-iterators"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
LEARNERS = ("alice", "bob")
WRONG_TAKE = VARIANTS / ASSIGNMENT / "take" / "wrong_list_then_slice.py"
ARTIFACTS = ROOT / "test-artifacts"
# alice's right answers show an output that would run a script in whoever opens it.
SCRIPTED = """
class Shiny:
    def _repr_html_(self):
        return ('<b>shiny</b><script>document.title = "owned"</script>'
                '<img src=x onerror="document.title = \\'owned\\'">')
display(Shiny())
"""

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
        for name in ("nbgrader_config.py", "Makefile"):
            shutil.copy(ROOT / name, self.course)
        shutil.copytree(ROOT / "source" / ASSIGNMENT, self.course / "source" / ASSIGNMENT)
        self.exchange = self.course / "exchange"  # what the course's config names

    def home(self, person: str) -> Path:
        return self.tmp / person

    def instructor(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return nbgrader(*args, home=self.home("instructor"), cwd=self.course, check=check)

    def make(self, *args: str) -> subprocess.CompletedProcess:
        """``make`` in the course, as README.md writes it (with this venv: a copy has nothing to
        install, and the system packages are the suite's)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER_")}
        env["HOME"] = str(self.home("instructor"))
        command = ["make", "-s", "-o", "install", "-o", "system-packages",
                   f"VENV={Path(sys.executable).parent.parent}", *args]
        result = subprocess.run(command, cwd=self.course, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"make {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
        return result

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
    else:
        answers["take"] += "\n" + SCRIPTED
    return subs.fill(release, answers)


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    room = Classroom(tmp_path_factory.mktemp("exchange"))
    room.make("release", "01")
    room.released = room.instructor("release_assignment", ASSIGNMENT)
    room.each_learner("fetch_assignment", ASSIGNMENT)
    for student in LEARNERS:
        fetched = nbformat.read(room.copy_of(student), as_version=4)
        nbformat.write(answers_for(student, fetched), room.copy_of(student))
    room.each_learner("submit", ASSIGNMENT)
    room.instructor("collect", ASSIGNMENT)
    room.graded = room.make("grade")
    room.formgrader = formgrader_round(room) if not browser.missing() else None
    room.instructor("generate_feedback", ASSIGNMENT, "--force")  # after grading by hand
    room.instructor("release_feedback", ASSIGNMENT)
    room.each_learner("fetch_feedback", ASSIGNMENT)
    return room


def test_the_first_release_into_a_new_exchange_warns_of_nothing(classroom):
    said = classroom.released.stdout + classroom.released.stderr
    assert "Released as" in said and "WARNING" not in said, said


MANUAL_SCORE, COMMENT = 0.5, "Nice work on take()"


def formgrader_round(room: Classroom) -> dict:
    """In the instructor's JupyterLab (make lab), the Formgrader's view of alice's submission:
    what ran on the page, and a score and a comment typed into it, then saved."""
    with Gradebook(f"sqlite:///{room.course / 'gradebook.db'}") as gb:
        submission = gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "alice").id
    state = room.tmp / "browser"
    with labserver.running(room.course, state / "lab") as lab:
        driver = browser.start(state)
        try:
            with browser.screenshot_on_failure(driver, ARTIFACTS, "formgrader-submission", lab.log):
                # As the instructor does: JupyterLab first (its login cookie is for the whole
                # server; one made on a Formgrader page is only for that page's folder), then
                # the submission's grading view.
                driver.get(lab.url(f"lab?token={lab.token}"))
                driver.get(lab.url(f"formgrader/submissions/{submission}/"))
                browser.wait(driver, lambda d: browser.shown(d, "//input[@id='take-edges']"), "the grading view")
                seen = {"title": driver.title, "text": driver.find_element("tag name", "body").text}
                score = browser.shown(driver, "//input[@id='take-edges']")[0]
                score.clear()
                score.send_keys(str(MANUAL_SCORE), "\t")
                comment = browser.shown(driver, "//textarea[@id='take-comment']")[0]
                comment.send_keys(COMMENT, "\t")
                browser.wait(driver, lambda d: saved(room) == (MANUAL_SCORE, COMMENT), "the score and comment saved")
        finally:
            driver.quit()
    return seen


def saved(room: Classroom) -> tuple:
    with Gradebook(f"sqlite:///{room.course / 'gradebook.db'}") as gb:
        grade = gb.find_grade("take-edges", ASSIGNMENT, ASSIGNMENT, "alice")
        comment = gb.find_comment("take", ASSIGNMENT, ASSIGNMENT, "alice")
        return grade.manual_score, comment.manual_comment


def points(prefix: str = "") -> float:
    source = nbformat.read(ROOT / "source" / ASSIGNMENT / NOTEBOOK, as_version=4)
    return sum(c.metadata.nbgrader["points"] for c in source.cells
               if c.metadata.get("nbgrader", {}).get("grade")
               and c.metadata.nbgrader["grade_id"].startswith(prefix))


def expected_score(student: str, by_hand: bool = False) -> float:
    if student == "alice":
        return points() - (points("take-edges") - MANUAL_SCORE if by_hand else 0)
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


def test_make_grade_grades_each_learner_on_their_own_answers(classroom):
    out = classroom.graded.stdout
    for student in LEARNERS:
        assert f"{ASSIGNMENT} {student}: {expected_score(student):g} / {points():g}" in out, out
    assert "ignored" not in out, f"nbgrader's own files were reported as extra: {out}"
    assert expected_score("bob") < expected_score("alice")


@pytest.mark.skipif(bool(browser.missing()), reason=f"BROWSER TEST SKIPPED: {browser.missing()}")
def test_the_formgrader_shows_a_submission_and_runs_none_of_its_scripts(classroom):
    seen = classroom.formgrader
    assert "shiny" in seen["text"], "alice's (sanitised) output is not shown"
    assert seen["title"] != "owned", "a script of the submission ran in the Formgrader"


@pytest.mark.skipif(bool(browser.missing()), reason=f"BROWSER TEST SKIPPED: {browser.missing()}")
def test_grading_by_hand_in_the_formgrader_is_saved_and_reaches_the_feedback(classroom):
    assert saved(classroom) == (MANUAL_SCORE, COMMENT)
    page = feedback_pages(classroom, "alice")[0].read_text()
    assert COMMENT in page, "the comment typed in the Formgrader is not on alice's page"


def test_each_learner_fetches_their_own_feedback(classroom):
    by_hand = classroom.formgrader is not None
    for student in LEARNERS:
        pages = feedback_pages(classroom, student)
        assert [p.name for p in pages] == [f"{ASSIGNMENT}.html"], f"{student}'s feedback: {pages}"
        text = pages[0].read_text()
        score = f"{expected_score(student, by_hand):g}"
        assert re.search(rf"Score: {score}(\.0)? / {points():g}", text), \
            f"{student}'s page does not show {score} / {points():g}"


FETCHED_FROM_NETWORK = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//",
                                  re.IGNORECASE)


def test_feedback_pages_load_nothing_from_the_network(classroom):
    for page in feedback_pages(classroom, "alice") + sorted((classroom.course / "feedback").rglob("*.html")):
        found = FETCHED_FROM_NETWORK.findall(page.read_text())
        assert not found, f"{page} loads {found}"


@pytest.mark.skipif(bool(browser.missing()), reason=f"BROWSER TEST SKIPPED: {browser.missing()}")
def test_a_learner_opens_the_feedback_page_and_nothing_leaves_the_machine(classroom):
    page = feedback_pages(classroom, "alice")[0]
    driver = browser.start(classroom.tmp / "feedback-browser", network_log=True)
    try:
        with browser.screenshot_on_failure(driver, ARTIFACTS, "feedback-page"):
            driver.get(page.as_uri())
            browser.wait(driver, lambda d: "Score:" in d.find_element("tag name", "body").text, "the page")
            title, requests = driver.title, browser.requests(driver)
    finally:
        driver.quit()
    assert title != "owned", "a script of the submission ran on the feedback page"
    assert page.as_uri() in requests, f"the network log missed the page itself: {requests}"
    away = [url for url in requests if not url.startswith(("file:", "data:", "about:", "chrome"))]
    assert not away, f"the feedback page asked the network for {away}"


def test_fetch_never_overwrites_a_learners_copy(classroom):
    before = classroom.copy_of("alice").read_text()
    again = classroom.learner("alice", "fetch_assignment", ASSIGNMENT, check=False)
    assert again.returncode != 0 and "already have a copy" in again.stdout + again.stderr, \
        f"expected fetch_assignment to refuse, got exit {again.returncode}:\n{again.stdout}{again.stderr}"
    classroom.instructor("generate_assignment", ASSIGNMENT, "--force")
    classroom.instructor("release_assignment", ASSIGNMENT, "--force")
    assert classroom.copy_of("alice").read_text() == before, "a re-release changed alice's notebook"
