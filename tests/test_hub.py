"""``make hub`` in a real browser: a class on JupyterHub, from release to feedback.

The hub runs in a copy of the course (its Makefile, configs, hub/ and one assignment), as
``make hub`` starts it, on a free port. Headless Chromium, one browser per person:

- the instructor logs in and, in the Formgrader, generates and releases the assignment;
- a learner logs in, sees only the Assignment List (no Formgrader), fetches the assignment
  there, answers one exercise in the notebook, saves, and submits it from the Assignment List;
- the instructor collects it in the Formgrader, grades with ``make grade`` and returns the
  feedback with ``nbgrader release_feedback`` (README steps 4 and 5);
- the learner fetches the feedback in the Assignment List and opens the page: their score.

A failing step saves a screenshot and the hub's log under test-artifacts/.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest

pytest.importorskip("selenium", reason="selenium is not installed: run `make install` (pyproject.toml lists it)")

import browser  # noqa: E402
import labserver  # noqa: E402
from conftest import ROOT  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

ASSIGNMENT = "01-iterators"
LEARNER = "alice"
ANSWER = "def take(n, iterable): return list(itertools.islice(iterable, n))"  # the anchor "take"
ARTIFACTS = ROOT / "test-artifacts"
VENV = Path(sys.executable).parent.parent
START = 300  # s: a safety net for the hub and each server to start on a loaded machine


def _no_proxy() -> str:
    if not shutil.which("configurable-http-proxy"):
        return ("no configurable-http-proxy: install Debian's node-configurable-http-proxy (`make test` "
                "does it when run as root; else `sudo apt-get install node-configurable-http-proxy`)")
    return ""


pytestmark = pytest.mark.xdist_group("hub")


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    course = tmp_path_factory.mktemp("hub") / "course"
    course.mkdir()
    for name in ("Makefile", "nbgrader_config.py"):
        shutil.copy(ROOT / name, course)
    shutil.copytree(ROOT / "hub", course / "hub", ignore=shutil.ignore_patterns("state", "homes", "__pycache__"))
    shutil.copytree(ROOT / "source" / ASSIGNMENT, course / "source" / ASSIGNMENT)
    return course


def make(*args: str) -> list[str]:
    """``make`` in the copy, with this interpreter's venv (the copy has nothing to install)."""
    return ["make", "-s", "-o", "install", "-o", "system-packages", f"VENV={VENV}", *args]


@contextmanager
def running_hub(course: Path):
    port = labserver.free_port()
    log = course / "hub.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "MPLBACKEND"))}
    with open(log, "wb") as out:
        process = subprocess.Popen(make("hub", f"HUB_PORT={port}"), cwd=course, env=env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START
        while not _answers(f"{base}/hub/api"):
            if process.poll() is not None:
                raise RuntimeError(f"make hub exited with {process.returncode}:\n{log.read_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the hub did not answer within {START} s:\n{log.read_text()}")
            time.sleep(0.2)
        yield base, log
    finally:
        stop(process, course / "hub" / "state")


def stop(process: subprocess.Popen, state: Path) -> None:
    """SIGTERM to the hub, which stops every user's server and its proxy, then exits (and so
    does make). Should it hang: SIGKILL to it; then to anything it left running."""
    pid_file = state / "jupyterhub.pid"
    if process.poll() is None:
        os.kill(int(pid_file.read_text()) if pid_file.is_file() else process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    for pid in started_in(state.parent.parent):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def started_in(course: Path) -> list[int]:
    """The processes whose environment names the copy of the course: the proxy and the users'
    servers (each in a session of its own)."""
    mine = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if str(course).encode() in environ.read_bytes():
                mine.append(int(environ.parent.name))
        except OSError:
            pass
    return [pid for pid in mine if pid != os.getpid()]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def hub(course):
    with running_hub(course) as (base, log):
        yield base, log


@pytest.fixture(scope="module")
def browsers(tmp_path_factory):
    """A browser of their own for each person: their own cookies, as on two machines."""
    drivers = {}
    yield lambda person: drivers.get(person) or drivers.setdefault(
        person, browser.start(tmp_path_factory.mktemp(f"chromium-{person}")))
    for driver in drivers.values():
        driver.quit()


def log_in(driver, base: str, name: str) -> None:
    """The hub's login page (any password), then wait for the user's JupyterLab."""
    driver.get(f"{base}/hub/login")
    browser.wait(driver, lambda d: d.find_elements(By.ID, "username_input"), "the hub's login form")
    driver.find_element(By.ID, "username_input").send_keys(name)
    driver.find_element(By.ID, "password_input").send_keys("any password")
    driver.find_element(By.ID, "login_submit").click()
    browser.wait(driver, lambda d: f"/user/{name}/lab" in d.current_url and browser.shown(d, MENU),
                 f"{name}'s JupyterLab with its Nbgrader menu", START)


# Both of Bootstrap 3's fade-in transitions are over: the dialog opaque and in its final place.
SETTLED = """const style = getComputedStyle(arguments[0]);
const moved = getComputedStyle(arguments[0].querySelector('.modal-dialog')).transform;
return style.opacity === '1' && (moved === 'none' || moved === 'matrix(1, 0, 0, 1, 0, 0)');"""


def close_dialog(driver, what: str) -> str:
    """The Formgrader's result dialog: its text, after closing it; fails on an error dialog."""
    [dialog] = browser.wait(driver, lambda d: browser.shown(
        d, "//div[@id='success-modal' or @id='error-modal']"), what, START)
    text, failed = dialog.text, dialog.get_attribute("id") == "error-modal"
    # Bootstrap 3 fades the dialog in; an OK clicked meanwhile has been seen to be lost (the
    # dialog stayed open). Click once it has faded in, and again while it is still open.
    browser.wait(driver, lambda d: d.execute_script(SETTLED, dialog), "the dialog to finish fading in")
    ok = dialog.find_element(By.CSS_SELECTOR, ".modal-footer button")

    def closed(d) -> bool:
        if not browser.shown(d, "//div[@id='success-modal' or @id='error-modal']"):
            return True
        try:
            ok.click()
        except WebDriverException:  # gone meanwhile, or covered by the fading backdrop
            pass
        time.sleep(1)
        return False
    browser.wait(driver, closed, "the dialog to close")
    assert not failed, f"{what}: the Formgrader says\n{text}"
    return text


def formgrader_action(driver, column: str, icon: str, what: str) -> str:
    row = f"//tr[td[contains(@class,'name')]/a[text()='{ASSIGNMENT}']]"
    browser.click(driver, f"{row}/td[contains(@class,'{column}')]//a[span[contains(@class,'{icon}')]]", what)
    return close_dialog(driver, what)


MENU = "//div[contains(@class,'lm-MenuBar-itemLabel')][text()='Nbgrader']"


def open_menu(driver) -> list:
    """Open the Nbgrader menu (clicking its label again if a first click did not) and return
    the items it shows."""
    def attempt(d):
        items = browser.shown(d, "//*[@id='jp-mainmenu-nbgrader']//li")
        if not items:
            browser.click(d, MENU, "the Nbgrader menu")
            time.sleep(0.5)
        return items
    return browser.wait(driver, attempt, "the Nbgrader menu's items")


def nbgrader_menu(driver) -> list[str]:
    """What the Nbgrader menu offers this user."""
    names = [item.text for item in open_menu(driver)]
    browser.click(driver, MENU, "the Nbgrader menu, to close it")
    browser.wait(driver, lambda d: not browser.shown(d, "//*[@id='jp-mainmenu-nbgrader']//li"), "the menu to close")
    return names


def assignment_list(driver) -> None:
    """Nbgrader > Assignment List, as a learner opens it."""
    open_menu(driver)
    browser.click(driver, "//li[@data-command='nbgrader:open-assignment-list']", "Assignment List")
    browser.wait(driver, lambda d: browser.shown(d, "//*[@id='released_assignments_list']"), "the Assignment List")


def instructor_command(course: Path, *args: str) -> subprocess.CompletedProcess:
    """A command in the course folder, as the instructor runs it in a terminal of their server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env.update(HOME=str(course / "hub" / "homes" / "instructor"),
               PATH=os.pathsep.join([str(VENV / "bin"), env["PATH"]]))
    return subprocess.run(args, cwd=course, env=env, capture_output=True, text=True, timeout=900)


def points(course: Path, prefix: str) -> float:
    nb = nbformat.read(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    return sum(c.metadata.nbgrader["points"] for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")
               and c.metadata.nbgrader["grade_id"].startswith(prefix))


@pytest.mark.skipif(bool(browser.missing()), reason=f"HUB TEST SKIPPED: {browser.missing()}")
@pytest.mark.skipif(bool(_no_proxy()), reason=f"HUB TEST SKIPPED: {_no_proxy()}")
def test_a_class_on_the_hub_from_release_to_feedback(course, hub, browsers):
    base, log = hub
    teacher, learner = browsers("instructor"), browsers(LEARNER)
    steps: dict[str, float] = {}
    started = time.monotonic()

    def step(name: str) -> None:
        steps[name] = round(time.monotonic() - started - sum(steps.values()), 1)
        print(f"hub test: {name}: {steps[name]} s", flush=True)

    # Both log in at once (each server takes a while to start); the learner waits for the release.
    with ThreadPoolExecutor(1) as pool:
        learner_in = pool.submit(log_in, learner, base, LEARNER)
        with browser.screenshot_on_failure(teacher, ARTIFACTS, "hub-instructor", log):
            log_in(teacher, base, "instructor")
            step("instructor's server")
            assert {"Formgrader", "Assignment List"} <= set(nbgrader_menu(teacher))
            # JupyterHub 4.1+ forbids showing the Formgrader inside JupyterLab: it has a tab of its own.
            teacher.get(f"{base}/user/instructor/formgrader")
            formgrader_action(teacher, "assign", "glyphicon-education", "generating the student version")
            formgrader_action(teacher, "release", "glyphicon-cloud-upload", "releasing it")
            step("generate and release in the Formgrader")
        with browser.screenshot_on_failure(learner, ARTIFACTS, "hub-learner", log):
            learner_in.result()
    step("learner's server")

    mine = f"asyncio-course/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
    home = course / "hub" / "homes" / LEARNER
    with browser.screenshot_on_failure(learner, ARTIFACTS, "hub-learner", log):
        assert nbgrader_menu(learner) == ["Assignment List"], "a learner gets the Assignment List only"
        assignment_list(learner)
        browser.click(learner, "//*[@id='released_assignments_list']//button[text()='Fetch']", "Fetch")
        browser.wait(learner, lambda d: browser.shown(d, f"//*[@id='fetched_assignments_list']//a[text()='{ASSIGNMENT}']"),
                     "the fetched assignment")
        step("fetch")
        cells = nbformat.read(home / mine, as_version=4).cells
        [answer] = [i for i, c in enumerate(cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "take"]
        notebook = browser.Notebook(learner, f"{base}/user/{LEARNER}/lab/tree/{mine}", len(cells))
        notebook.type_into(answer, ANSWER)
        learner.find_element(By.TAG_NAME, "body").send_keys(Keys.CONTROL, "s")
        browser.wait(learner, lambda d: ANSWER in (home / mine).read_text(), "the answer saved to the notebook")
        assignment_list(learner)
        browser.click(learner, f"//*[@id='fetched_assignments_list']//div[contains(@class,'list_item')]"
                      f"[.//a[text()='{ASSIGNMENT}']]//button[text()='Submit']", "Submit")
        browser.wait(learner, lambda d: browser.shown(
            d, "//*[@id='submitted_assignments_list']//button[text()='Fetch Feedback']"), "the submission in the list", START)
        step("answer, save and submit")
        learner.get(f"{base}/user/{LEARNER}/formgrader")
        page = learner.find_element(By.TAG_NAME, "body").text
        assert "404 : Not Found" in page, f"a learner's server serves the Formgrader: {page[:300]!r}"

    with browser.screenshot_on_failure(teacher, ARTIFACTS, "hub-instructor", log):
        teacher.get(f"{base}/user/instructor/formgrader")
        formgrader_action(teacher, "collect", "glyphicon-cloud-download", "collecting the submissions")
        assert (course / "submitted" / LEARNER / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()
        step("collect in the Formgrader")
    graded = instructor_command(course, *make("grade"))
    assert graded.returncode == 0, graded.stdout + graded.stderr
    score, most = points(course, "take-"), points(course, "")
    assert f"{ASSIGNMENT} {LEARNER}: {score:g} / {most:g}" in graded.stdout, graded.stdout
    step("make grade")
    released = instructor_command(course, "nbgrader", "release_feedback", ASSIGNMENT)
    assert released.returncode == 0, released.stdout + released.stderr
    step("release_feedback")

    with browser.screenshot_on_failure(learner, ARTIFACTS, "hub-learner", log):
        learner.get(f"{base}/user/{LEARNER}/lab")
        browser.wait(learner, lambda d: browser.shown(d, MENU), "JupyterLab")
        assignment_list(learner)
        browser.click(learner, "//*[@id='submitted_assignments_list']//button[text()='Fetch Feedback']", "Fetch Feedback")
        browser.wait(learner, lambda d: browser.shown(d, "//*[@id='submitted_assignments_list']//a[contains(text(),'view feedback')]"),
                     "the feedback link", START)
        [page] = (home / "asyncio-course" / ASSIGNMENT / "feedback").glob("*/*.html")
        learner.get(f"{base}/user/{LEARNER}/files/{page.relative_to(home).as_posix()}")
        body = browser.wait(learner, lambda d: browser.shown(d, "//body"), "the feedback page")[0].text
        assert re.search(rf"Score: {score:g}(\.0)? / {most:g}", body), body[:500]
        step("fetch feedback and open it")
    print(f"hub test: {sum(steps.values()):.0f} s in all")


def test_the_hub_listens_on_this_machine_only_and_waits_for_slow_servers(tmp_path):
    # Runs where the browser test cannot: the configuration itself, loaded as JupyterHub loads it.
    from traitlets.config.loader import PyFileConfigLoader

    shutil.copytree(ROOT / "hub", tmp_path / "hub", ignore=shutil.ignore_patterns("state", "homes", "__pycache__"))
    config = PyFileConfigLoader("jupyterhub_config.py", path=str(tmp_path / "hub")).load_config()
    assert config.JupyterHub.bind_url.startswith("http://127.0.0.1:")
    assert config.Spawner.start_timeout >= 300 and config.Spawner.http_timeout >= 300
    assert config.Spawner.cmd == [str(VENV / "bin" / "jupyterhub-singleuser")], "servers run from the course's .venv"
    assert config.Spawner.environment["JUPYTER_CONFIG_PATH"] == str(tmp_path / "hub")
