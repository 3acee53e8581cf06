"""Hostile submissions graded in one batch beside honest ones (issue 10's list, class by class).

Every cheat earns nothing or is flagged for review; honest students get exactly the scores
of a clean run; ``source/``, the course package, nbgrader, the other students' files and
their gradebook rows are unchanged; no process outlives grading; every bad submission is
reported in plain words.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import nbgrader
import pytest
from pyquery import PyQuery

import submissions as subs
from autograder.grading import isolation, sandbox
from autograder.grading.course import Course, scratch_course
from conftest import ROOT, tree_hash

ASSIGNMENT = "01-iterators"
MARKER = "hostile-survivor-7f3a"  # in the command line of the process that tries to outlive grading
NOTEBOOK_SECONDS = 25  # the per-notebook limit for this batch (the time-waster uses it up)
pytestmark = [
    pytest.mark.pipeline,
    pytest.mark.xdist_group("hostile"),
    pytest.mark.skipif(sandbox.unavailable() is not None, reason="no sandbox here"),
]

# Kernel tampering that would earn marks without solving: each must be flagged, and its
# test cells score 0.
TAMPERING = {
    "input-transformer": 'get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])',
    "ast-transformer": (
        "import ast\n"
        "class NoAsserts(ast.NodeTransformer):\n"
        "    def visit_Assert(self, node):\n"
        "        return ast.Pass()\n"
        "get_ipython().ast_transformers.append(NoAsserts())"),
    "run-cell": (
        "shell = get_ipython()\n"
        "original = shell.run_cell_async\n"
        "async def run_cell_async(raw_cell, *args, **kwargs):\n"
        "    return await original('pass', *args, **kwargs)\n"
        "shell.run_cell_async = run_cell_async"),
    "hook": ('get_ipython().events.register("pre_run_cell", '
             'lambda info: setattr(info, "raw_cell", "pass"))'),
    "custom-exc": ("get_ipython().set_custom_exc((Exception,), "
                   "lambda shell, etype, value, tb, tb_offset=None: None)"),
    "displayhook": "import sys\nsys.displayhook = lambda value: print('ok')",
    "stderr": "import io, sys\nsys.stderr = io.StringIO()",
    "builtins": "import builtins\nbuiltins.all = lambda iterable: True",
    "probe": "import autograder.probes as probes\nprobes.Tap.__next__ = lambda self: 0",
}

# What must stay out of reach: reading or changing anything outside the kernel's folders,
# breaking the batch, or outliving it. None of it may earn a mark.
ATTEMPTS = """
import os, signal, subprocess, sys
for path in {reads!r}:
    try:
        print("READ", path, open(path, "rb").read(40))
    except OSError as exc:
        print("blocked read", type(exc).__name__)
for path in {writes!r}:
    try:
        open(path, "ab").write(b"x")
        print("WROTE", path)
    except OSError as exc:
        print("blocked write", type(exc).__name__)
for pid in (os.getppid(), -1):  # the grader, or everything this uid may signal
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError as exc:
        print("blocked kill", type(exc).__name__)
subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, "
                  "signal.SIG_IGN); time.sleep(600)  # {marker}"], start_new_session=True)
"""

BREAKERS = {
    # ten times the 1 MiB kept per cell; 50 MB took longer than the 10 s cell limit to pass
    # through the kernel's channel when two suites ran at once on 2 cores
    "flood": "import sys\nfor _ in range(10):\n    sys.stdout.write('x' * 1_000_000)",
    "forkbomb": (
        "import os, time\n"
        "for _ in range(400):\n"
        "    try:\n"
        "        if os.fork() == 0:\n"
        "            time.sleep(600)\n"
        "    except BlockingIOError:\n"
        "        print('process limit reached')\n"
        "        break"),
    "memory": "try:\n    hog = bytearray(5 * 2**30)\nexcept MemoryError:\n    print('memory limit reached')",
}
TIME_WASTER = "import time\ntime.sleep(9.5)"  # in every answer cell: each under the cell limit

# Issue 17's classes (../shared/reviews/attacks.md and beyond): each earns nothing, or exactly
# what its honest answers earn, and is flagged where the grader can tell.
TOGGLE_HOOK = """
import sys
from IPython.core.interactiveshell import InteractiveShell, ExecutionResult
def cheat(event, args):
    if event == "exec":
        InteractiveShell.showtraceback = lambda *a, **k: None
        ExecutionResult.success = property(lambda self: True)
getattr(sys, "add" + "audithook")(cheat)
"""
SHADOWS = """
id = lambda obj: 0
len = lambda obj: 0
all = lambda items: True
from IPython.core.interactiveshell import ExecutionResult
ExecutionResult.success = property(lambda self: True)
"""
SCRIPT_OUTPUT = """
class Shiny:
    def _repr_html_(self):
        return '<script>document.title = "owned"</script><img src=x onerror="alert(1)">shiny'
display(Shiny())
"""
DISK_FILL = """
import os
for i in range(24):
    try:
        with open(f"fill-{i}", "wb") as out:
            out.write(b"x" * (60 << 20))
    except OSError as exc:
        print("disk full after", i, "files:", exc.strerror)
        break
"""
CPU_HOG = """
import os, time
for _ in range(8):
    if os.fork() == 0:
        os.setsid()
        end = time.time() + 8
        while time.time() < end:
            pass
        os._exit(0)
"""
PEEK = """
import linecache
print(In, _ih)
print([line for entry in linecache.cache.values() for line in entry[2]])
"""
FORGER = """
import os, stat
for fd in range(3, 1024):  # every pipe: one of them is the grader's
    try:
        if stat.S_ISFIFO(os.fstat(fd).st_mode):
            os.write(fd, b"5\\tpassed\\ttake-consumption\\t\\t" + b"0" * 64 + b"\\n")
    except OSError:
        pass
"""
CHANNEL_BREAKER = """
import os
for fd in range(3, 1024):  # garbage into every file descriptor, the kernel's sockets among them
    try:
        os.write(fd, b"garbage" * 100)
    except OSError:
        pass
"""
TOGGLER = """
import threading, time
import autograder.probes as probes
def toggle(original=probes.Tap.__next__):
    while True:
        probes.Tap.__next__ = lambda self: 0
        time.sleep(0.001)
        probes.Tap.__next__ = original
        time.sleep(0.001)
threading.Thread(target=toggle, daemon=True).start()
"""
REBIND = """
class Tap:  # a fake of the setup cell's Tap that always reports what a right take() leaves
    def __init__(self, items=None):
        self.items = iter(items if items is not None else range(10**9))
        self.consumed = 0
    def __iter__(self):
        return self
    def __next__(self):
        self.consumed += 1
        return next(self.items)
"""


def rows(course: Course, students) -> dict:
    with isolation.Gradebook(course.db_url) as gb:
        return {sub.student.id: sorted((g.name, g.auto_score) for nb in sub.notebooks for g in nb.grades)
                for sub in gb.find_assignment(ASSIGNMENT).submissions if sub.student.id in students}


def survivors() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and MARKER.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            pass
    return found


def released(course: Course):
    course.release([ASSIGNMENT])
    release_nb = nbformat.read(course.root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    source_nb = nbformat.read(course.root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    return release_nb, subs.reference_answers(source_nb)


def honest(course: Course, release_nb, reference) -> list[str]:
    wrong = next(s for s in subs.plan(ASSIGNMENT) if s.student == "wrong-1")
    subs.write(course.root, ASSIGNMENT, "reference", subs.fill(release_nb, reference))
    subs.write(course.root, ASSIGNMENT, "blank", release_nb)
    answers = reference | {a: v.source for a, v in wrong.answers.items()}
    subs.write(course.root, ASSIGNMENT, "wrong", subs.fill(release_nb, answers))
    return ["blank", "reference", "wrong"]


def hostile(course: Course, release_nb, reference) -> dict[str, str]:
    """Write every hostile submission; return what each one is."""
    first = next(iter(reference))
    write = lambda student, nb: subs.write(course.root, ASSIGNMENT, student, nb)  # noqa: E731
    for name, code in {**TAMPERING, **BREAKERS}.items():
        write(name, subs.fill(release_nb, {first: code}))
    write("time-waster", subs.fill(release_nb, {anchor: TIME_WASTER for anchor in reference}))
    secrets = [course.root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", course.root / "gradebook.db",
               course.root / "submitted" / "reference" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"]
    shared = [ROOT / "autograder" / "__init__.py", Path(nbgrader.__file__)]  # readable, never writable
    attempts = ATTEMPTS.format(reads=[str(p) for p in secrets] + ["../source/x", "/etc/shadow"],
                               writes=[str(p) for p in secrets + shared], marker=MARKER)
    write("intruder", subs.fill(release_nb, {first: attempts}))
    cheats(course, release_nb, reference)
    folder = course.root / "submitted" / "intruder" / ASSIGNMENT
    (folder / "autograder").mkdir()
    (folder / "autograder" / "__init__.py").write_text("raise SystemExit('shadowed')\n")
    (folder / "pytest.py").write_text("raise SystemExit('shadowed')\n")
    (folder / "link.txt").symlink_to(course.root / "gradebook.db")
    return bad_files(course, release_nb, reference)


def cheats(course: Course, release_nb, reference) -> None:
    """Issue 17's classes: hidden-test leaks, forged outcomes, hostile output, bounded resources."""
    write = lambda student, nb: subs.write(course.root, ASSIGNMENT, student, nb)  # noqa: E731
    blank = {anchor: "pass" for anchor in reference}
    tagged = subs.fill(release_nb, blank)
    for cell in tagged.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.metadata["tags"] = ["skip-execution", "raises-exception"]
            cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01"}
    write("skip-tags", tagged)
    first, last = next(iter(reference)), list(reference)[-1]
    write("toggle-hook", subs.fill(release_nb, blank | {first: TOGGLE_HOOK}))
    write("shadows", subs.fill(release_nb, blank | {first: SHADOWS}))
    write("blank-stderr", subs.fill(release_nb, reference | {
        first: reference[first] + "\nimport sys\nprint(file=sys.stderr)",
        last: reference[last] + "\nfrom sys import stderr\nprint('  ', file=stderr)"}))
    html = subs.fill(release_nb, reference | {first: reference[first] + "\n" + SCRIPT_OUTPUT})
    html.cells.insert(1, nbformat.v4.new_markdown_cell('<script>alert("md")</script>**notes**'))
    write("script-output", html)
    write("disk-fill", subs.fill(release_nb, reference | {first: reference[first] + "\n" + DISK_FILL}))
    write("cpu-hog", subs.fill(release_nb, reference | {first: reference[first] + "\n" + CPU_HOG}))
    write("peek", subs.fill(release_nb, reference | {last: reference[last] + "\n" + PEEK}))
    write("forger", subs.fill(release_nb, blank | {first: FORGER}))
    write("channel-breaker", subs.fill(release_nb, blank | {first: CHANNEL_BREAKER}))
    write("toggler", subs.fill(release_nb, reference | {first: reference[first] + "\n" + TOGGLER}))
    wrong = next(s for s in subs.plan(ASSIGNMENT) if s.student == "wrong-1")
    wrong_take = wrong.answers["take"].source
    write("rebind", subs.fill(release_nb, reference | {"take": REBIND + "\n" + wrong_take}))
    write("wrong-take", subs.fill(release_nb, reference | {"take": wrong_take}))


def bad_files(course: Course, release_nb, reference) -> dict[str, str]:
    """Submissions that cannot be graded as they are, or only after a repair."""
    def folder(student):
        path = course.root / "submitted" / student / ASSIGNMENT
        path.mkdir(parents=True)
        return path
    nbformat.write(subs.fill(release_nb, reference), folder("renamed") / "my-work.ipynb")
    (folder("folder") / f"{ASSIGNMENT}.ipynb").mkdir()
    (folder("latin1") / f"{ASSIGNMENT}.ipynb").write_bytes(
        json.dumps(subs.fill(release_nb, reference)).encode().replace(b"Fibonacci", b"Fibon\xe0cci"))
    stripped = subs.fill(release_nb, reference)
    for cell in stripped.cells:
        cell.metadata.pop("nbgrader", None)
    nbformat.write(stripped, folder("no-metadata") / f"{ASSIGNMENT}.ipynb")
    other = ROOT / "source" / "02-generators" / "02-generators.ipynb"
    nbformat.write(nbformat.read(other, as_version=4), folder("other-chapter") / f"{ASSIGNMENT}.ipynb")
    graded_answer = subs.fill(release_nb, reference)
    answer = next(c for c in graded_answer.cells if c.metadata.get("nbgrader", {}).get("solution"))
    answer.metadata.nbgrader.update(grade=True, points=100)
    nbformat.write(graded_answer, folder("self-graded") / f"{ASSIGNMENT}.ipynb")
    stolen = subs.fill(release_nb, {})
    test = next(c for c in stolen.cells if c.metadata.get("nbgrader", {}).get("grade")
                and not c.metadata.nbgrader.get("solution"))
    stolen.cells.insert(0, nbformat.v4.new_code_cell("pass", metadata={"nbgrader": dict(test.metadata.nbgrader)}))
    stolen.cells.insert(0, nbformat.v4.new_code_cell("pass", metadata={"nbgrader": dict(test.metadata.nbgrader)}))
    nbformat.write(stolen, folder("stolen-id") / f"{ASSIGNMENT}.ipynb")
    return {
        "renamed": "no 01-iterators.ipynb in the submission; handed in instead: my-work.ipynb",
        "folder": "01-iterators.ipynb is a folder, not a notebook file",
        "latin1": "01-iterators.ipynb: not UTF-8 text",
        "no-metadata": "answer cells missing or without their metadata",
        "other-chapter": "is it another chapter's notebook?",
        "self-graded": "had its nbgrader settings changed: set back",
        "stolen-id": "repeats the grade id",
    }


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    clean = scratch_course(ROOT, tmp_path_factory.mktemp("clean"), [ASSIGNMENT])
    release_nb, reference = released(clean)
    students = honest(clean, release_nb, reference)
    isolation.autograde_all(clean, ASSIGNMENT, students, workers=2, feedback=True)

    course = scratch_course(ROOT, tmp_path_factory.mktemp("mixed"), [ASSIGNMENT])
    release_nb, reference = released(course)
    honest(course, release_nb, reference)
    isolation.autograde_all(course, ASSIGNMENT, ["reference"], workers=0)  # graded before the batch
    expected_notes = hostile(course, release_nb, reference)
    # What the intruder tries to change (the course package and nbgrader: the files it targets;
    # the rest of the repository may change under a developer's hands while this runs).
    protected = [course.root / "source", ROOT / "autograder" / "__init__.py", Path(nbgrader.__file__),
                 course.root / "submitted" / "reference", course.root / "autograded" / "reference"]
    before = tree_hash(*protected), rows(course, ["reference"])
    batch_students = [s for s in course.students(ASSIGNMENT) if s != "reference"]
    graded = {g.outcome.name: g for g in isolation.autograde_all(
        course, ASSIGNMENT, batch_students, workers=2, notebook_timeout=NOTEBOOK_SECONDS, feedback=True)}
    after = tree_hash(*protected), rows(course, ["reference"])
    return dict(clean=clean, course=course, graded=graded, before=before, after=after,
                notes=expected_notes, honest=students)


def test_honest_students_get_exactly_their_clean_scores(batch):
    clean, course = batch["clean"], batch["course"]  # reference was graded before the batch
    assert rows(course, batch["honest"]) == rows(clean, batch["honest"])
    assert not any(course.review(ASSIGNMENT, s) for s in batch["honest"])


@pytest.mark.parametrize("name", sorted(TAMPERING))
def test_tampering_is_flagged_and_earns_nothing(batch, name):
    graded, course = batch["graded"][name], batch["course"]
    assert graded.outcome.ok, graded.outcome.error
    assert graded.flags, f"{name} was not flagged"
    assert course.review(ASSIGNMENT, name) == graded.flags
    assert course.report(ASSIGNMENT, name).score == 0, course.report(ASSIGNMENT, name).cells


def test_nothing_outside_the_sandbox_was_read_or_changed(batch):
    course = batch["course"]
    assert batch["before"][0] == batch["after"][0], "source/, autograder/, nbgrader or another student changed"
    assert batch["before"][1] == batch["after"][1], "another student's gradebook rows changed"
    nb = nbformat.read(course.root / "autograded" / "intruder" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "READ" not in text and "WROTE" not in text, text
    assert text.count("blocked read") == 5 and text.count("blocked write") == 5, text
    intruder = batch["graded"]["intruder"]
    assert intruder.ignored == ["autograder/", "link.txt", "pytest.py"]
    assert course.report(ASSIGNMENT, "intruder").score == 0


def test_no_process_outlives_grading(batch):
    assert survivors() == []


def test_breakers_earn_nothing_and_are_bounded(batch):
    course, graded = batch["course"], batch["graded"]
    for name in [*BREAKERS, "time-waster"]:
        assert graded[name].outcome.ok, (name, graded[name].outcome.error)
        assert course.report(ASSIGNMENT, name).score == 0, name
    flood = course.root / "autograded" / "flood" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert flood.stat().st_size < 2 * 2**20, "the 10 MB flood was kept"
    messages = [c.message for c in course.report(ASSIGNMENT, "time-waster").cells]
    assert any(m.startswith(isolation.NOTEBOOK_TIME_LIMIT) for m in messages), messages


@pytest.mark.parametrize("name", ["renamed", "folder", "latin1", "no-metadata", "other-chapter",
                                  "self-graded", "stolen-id"])
def test_bad_submissions_are_reported_in_plain_words(batch, name):
    graded, course = batch["graded"][name], batch["course"]
    said = " | ".join([graded.outcome.error, *graded.notes])
    assert batch["notes"][name] in said, said
    for raw in ("KeyError", "Inconsistent checksums", "without saying why", "Traceback"):
        assert raw not in said, said
    if graded.outcome.ok:
        report = course.report(ASSIGNMENT, name)
        assert report.max_score == course.report(ASSIGNMENT, "reference").max_score
        assert report.score <= report.max_score


def score(course: Course, name: str) -> float:
    return course.report(ASSIGNMENT, name).score


@pytest.mark.parametrize("name", ["skip-tags", "toggle-hook", "shadows", "forger"])
def test_forged_outcomes_earn_nothing_and_are_flagged(batch, name):
    graded, course = batch["graded"][name], batch["course"]
    assert graded.outcome.ok, graded.outcome.error
    assert score(course, name) == 0, course.report(ASSIGNMENT, name).cells
    assert graded.flags, f"{name} was not flagged"


def test_what_the_warden_refused_is_named(batch):
    flags = " ".join(batch["graded"]["toggle-hook"].flags)
    assert "installs an audit hook" in flags, flags
    assert "something other than the grader's warden wrote" in " ".join(batch["graded"]["forger"].flags)


def test_odd_stderr_is_just_output(batch):
    course = batch["course"]
    assert batch["graded"]["blank-stderr"].outcome.ok
    assert score(course, "blank-stderr") == score(batch["clean"], "reference")


def test_a_tampering_thread_is_caught(batch):
    graded = batch["graded"]["toggler"]
    assert graded.flags, "a thread toggling a patch was not flagged"


def test_names_an_answer_rebinds_do_not_reach_the_tests(batch):
    course = batch["course"]
    assert score(course, "rebind") == score(course, "wrong-take") < score(batch["clean"], "reference")


def test_no_script_of_a_submission_reaches_a_page(batch):
    course = batch["course"]
    nb = nbformat.read(course.root / "autograded" / "script-output" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    shown = json.dumps([o for c in nb.cells if c.cell_type == "code" for o in c.outputs])
    notes = [c.source for c in nb.cells if c.cell_type == "markdown" and "notes" in c.source]
    assert "shiny" in shown and "<script" not in shown and "onerror" not in shown, shown
    assert notes == ["**notes**"], notes
    page = PyQuery((course.root / "feedback" / "script-output" / ASSIGNMENT / f"{ASSIGNMENT}.html")
                   .read_bytes(), parser="html")
    # The learner's code is on the page as text; what matters is what the browser would run.
    scripts = [s.text for s in page("script") if s.text and ("document.title" in s.text or "alert(" in s.text)]
    handlers = [(tag.tag, name) for tag in page("*") for name in tag.attrib if name.startswith("on")]
    assert not scripts and not handlers, f"the feedback page would run {scripts} {handlers}"


def test_hidden_tests_never_come_back(batch):
    course = batch["course"]
    source = nbformat.read(course.root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    hidden = {line.strip() for cell in source.cells for line in
              cell.source.split("### BEGIN HIDDEN TESTS")[-1].split("### END HIDDEN TESTS")[0].splitlines()
              if "### BEGIN HIDDEN TESTS" in cell.source and len(line.strip()) > 20}
    release = nbformat.read(course.root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    hidden -= {line.strip() for cell in release.cells for line in cell.source.splitlines()}  # also shown
    page = (course.root / "feedback" / "peek" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    nb = nbformat.read(course.root / "autograded" / "peek" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    shown = json.dumps([o for c in nb.cells if c.cell_type == "code" for o in c.outputs])
    leaked = [line for line in hidden if line in page or json.dumps(line)[1:-1] in shown]
    assert not leaked, leaked


def test_the_sandbox_is_bounded_as_a_whole(batch):
    course = batch["course"]
    nb = nbformat.read(course.root / "autograded" / "disk-fill" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    said = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "disk full after" in said and "No space left on device" in said, said
    assert score(course, "disk-fill") == score(batch["clean"], "reference")
    assert score(course, "cpu-hog") == score(batch["clean"], "reference")


def test_a_kernel_that_breaks_its_own_channel_is_named(batch):
    graded = batch["graded"]["channel-breaker"]
    said = graded.outcome.error if not graded.outcome.ok else ""
    assert not graded.outcome.ok or score(batch["course"], "channel-breaker") == 0
    for raw in ("<IDS|MSG>", "Traceback", "without saying why"):
        assert raw not in said, said
