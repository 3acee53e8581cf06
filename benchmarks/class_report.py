"""A class of 30 on one assignment, taken through the README's instructor steps.

    .venv/bin/python benchmarks/class_report.py [ASSIGNMENT] [--keep DIR]

In a scratch copy of the course (default assignment: 07-running-many): the student version
is generated and released into the copy's exchange; 30 learners fetch it and submit with
nbgrader's own exchange code, each under their own student id (as on one Unix account): 24
hand in the reference answers, 3 the blank release, 3 the reference with one or two answers
replaced by known wrong ones from tests/variants/. Then, as the README says: ``nbgrader
collect``, ``make grade``, ``nbgrader release_feedback`` and ``make report``; each command's
output is printed with its wall time, and where the report's page and pictures are.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(sys.executable).parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import submissions as subs  # noqa: E402
from nbgrader.auth import Authenticator  # noqa: E402
from nbgrader.coursedir import CourseDirectory  # noqa: E402
from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeSubmit  # noqa: E402
from traitlets.config import Config  # noqa: E402

from autograder.grading.course import Course, scratch_course  # noqa: E402

RIGHT, BLANK, PARTLY_WRONG = 24, 3, 3


def run(course: Path, *command: str) -> None:
    """Run one instructor command in the course folder and print what it prints."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env.update(HOME=str(course / ".instructor"), PATH=os.pathsep.join([str(VENV / "bin"), env["PATH"]]))
    print(f"$ {' '.join(command)}", flush=True)
    started = time.monotonic()
    result = subprocess.run(command, cwd=course, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(result.stdout.rstrip())
    print(f"[exit status {result.returncode}, {time.monotonic() - started:.1f} s]\n", flush=True)


def make(*args: str) -> list[str]:
    return ["make", "-s", "-o", "install", "-o", "system-packages", f"VENV={VENV}", *args]


def learner(course: Course, student: str, home: Path) -> Config:
    """A learner's nbgrader config: the course's exchange and id, their own folder and cache."""
    config = Config()
    config.Exchange.root = str(course.root / "exchange")
    config.Exchange.path_includes_course = True
    config.Exchange.assignment_dir = str(home)
    config.Exchange.cache = str(home / ".nbgrader-cache")
    config.CourseDirectory.course_id = "asyncio-course"
    config.CourseDirectory.student_id = student
    return config


def exchange(kind, config: Config, assignment: str) -> None:
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    kind(coursedir=coursedir, authenticator=Authenticator(config=config), config=config).start()


def answers(assignment: str, source, k: int) -> dict[str, str]:
    """The reference answers, with the k-th partly wrong learner's known wrong ones."""
    reference = subs.reference_answers(source)
    wrong = [v for v in subs.variants(assignment) if not v.correct and v.expected > 0]
    anchors = sorted({v.anchor for v in wrong})
    chosen = [next(v for v in wrong if v.anchor == anchor) for anchor in anchors[k::PARTLY_WRONG]][:2]
    return reference | {v.anchor: v.source for v in chosen}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment", nargs="?", default="07-running-many")
    parser.add_argument("--keep", type=Path, help="build the class here and keep it (default: a temporary folder)")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="class-report-"))
    try:
        build_and_grade(folder.resolve(), args.assignment)
        if args.keep:
            print(f"the class is in {folder.resolve()}")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def build_and_grade(folder: Path, assignment: str) -> None:
    root = folder / "course"
    course = scratch_course(ROOT, root, [assignment])
    shutil.copy(ROOT / "Makefile", root)
    run(root, sys.executable, "-m", "autograder", "release", assignment)
    run(root, "nbgrader", "release_assignment", assignment)
    source = nbformat.read(root / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    plan = ([(f"right-{i + 1:02}", "right") for i in range(RIGHT)] + [(f"blank-{i + 1}", "blank") for i in range(BLANK)]
            + [(f"partly-{i + 1}", i) for i in range(PARTLY_WRONG)])
    started = time.monotonic()
    for student, kind in plan:
        home = folder / "learners" / student
        config = learner(course, student, home)
        exchange(ExchangeFetchAssignment, config, assignment)
        mine = home / "asyncio-course" / assignment / f"{assignment}.ipynb"
        if kind != "blank":  # the blank ones hand in what they fetched
            given = subs.reference_answers(source) if kind == "right" else answers(assignment, source, kind)
            nbformat.write(subs.fill(nbformat.read(mine, as_version=4), given), mine)
        exchange(ExchangeSubmit, config, assignment)
    print(f"{len(plan)} learners fetched and submitted ({RIGHT} right, {BLANK} blank, {PARTLY_WRONG} partly "
          f"wrong) in {time.monotonic() - started:.1f} s\n")
    for k in range(PARTLY_WRONG):
        changed = sorted(set(answers(assignment, source, k).items()) - set(subs.reference_answers(source).items()))
        print(f"partly-{k + 1}: wrong answers for {', '.join(anchor for anchor, _ in changed)}")
    print()
    run(root, "nbgrader", "collect", assignment)
    run(root, *make("grade"))
    run(root, "nbgrader", "release_feedback", assignment)
    run(root, *make("report", assignment))


if __name__ == "__main__":
    main()
