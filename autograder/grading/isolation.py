"""Grade each submission in a scratch course of its own, its kernel in the sandbox.

The scratch course holds the config, a gradebook with this one assignment's definition
(copied from the course gradebook: cells, max scores, checksums, the stored tests) and the
submission's expected notebooks, nothing else. nbgrader's own ``autograde`` runs there with
``Execute`` swapped for ``SandboxedExecute``. Only after the kernel is gone does the grader
read the scratch gradebook, check it against the course's, and merge this one student's
grades into the course gradebook and its notebooks into ``autograded/``.
"""

from __future__ import annotations

import functools
import json
import multiprocessing
import shutil
import sqlite3
import stat
import sys
import tempfile
import warnings
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

# grading first: it keeps nbformat's import (through jsonschema) from costing a second
from autograder.grading.course import CONFIG_FILE, Course, Outcome, empty_gradebook, _outcome  # isort: skip
from nbformat.warnings import MissingIDFieldWarning
from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy import event
from sqlalchemy.engine import Engine
from traitlets.config import Config

from autograder.grading import inspection
from autograder.grading.execute import NOTEBOOK_TIME_LIMIT, SandboxedExecute, sandboxed_preprocessors

__all__ = ["NOTEBOOK_TIME_LIMIT", "SandboxedExecute", "Graded", "autograde", "autograde_all", "merge"]


# nbgrader puts back a deleted test cell without an id, then validates: the warning would only
# put a traceback-like line in the report (the cell's restoration is reported in words).
warnings.filterwarnings("ignore", category=MissingIDFieldWarning)

SCRATCH_PREFIX = "grade-"  # tempfile's prefix for a batch's scratch courses


@event.listens_for(Engine, "connect")
def _no_fsync_in_scratch_gradebooks(connection, _record) -> None:
    """A scratch gradebook is read once and thrown away: its ~80 commits per notebook need not
    wait for the disk (10 ms each on ext4). The course's own gradebook keeps SQLite's default."""
    if isinstance(connection, sqlite3.Connection):
        path = Path(connection.execute("PRAGMA database_list").fetchone()[2] or "/")
        batch = path.parents[2] if len(path.parents) > 3 else path
        if batch.name.startswith(SCRATCH_PREFIX) and str(batch.parent) == tempfile.gettempdir():
            connection.execute("PRAGMA synchronous = OFF")


class GradebookMismatch(Exception):
    """The scratch gradebook is not what grading this one submission may produce."""


@dataclass
class Graded:
    outcome: Outcome
    ignored: list[str] = field(default_factory=list)  # submitted files that were not graded
    flags: list[str] = field(default_factory=list)  # why a person should look at it
    notes: list[str] = field(default_factory=list)  # what the grader repaired or noticed


def autograde(course: Course, assignment: str, student: str, notebook_timeout: int = 120,
              feedback: bool = False) -> Graded:
    """Grade ``student``'s submission of ``assignment`` in a sandbox; merge it on success."""
    return autograde_all(course, assignment, [student], workers=0, notebook_timeout=notebook_timeout,
                         feedback=feedback)[0]


class UnknownAssignment(Exception):
    """The course gradebook has no definition of the assignment (it was never generated)."""


def autograde_all(course: Course, assignment: str, students: list[str], workers: int = 0,
                  notebook_timeout: int = 120, on_done: Callable[[Graded], None] | None = None,
                  feedback: bool = False) -> list[Graded]:
    """Grade every submission in its own sandbox, ``workers`` at a time (0: here, one by one),
    and with ``feedback`` write each graded student's feedback page, in the same workers.

    Submissions are merged into the course in the order given, whatever order they finish
    in, so the gradebook gets the same writes as a serial run. ``on_done`` is called with
    each result in that order, as soon as it (and its feedback) and every one before it are
    done. Whatever goes wrong for one student (their notebook, their kernel, the grader's own
    code) is reported on that student's result; every other student is graded.
    """
    with tempfile.TemporaryDirectory(prefix=SCRATCH_PREFIX) as tmp:
        template = Path(tmp) / "definition.db"  # this assignment's gradebook, made once
        try:
            empty_gradebook(template)
            expected = _copy_definition(course.db_url, f"sqlite:///{template}", assignment)
        except MissingEntry:
            raise UnknownAssignment(
                f"the gradebook does not know {assignment}: generate it first "
                f"(make release, or nbgrader generate_assignment {assignment})") from None
        jobs = [(course.root, assignment, student, Path(tmp) / student, template, expected,
                 notebook_timeout) for student in students]
        if workers:
            # Workers fork from a server that has imported nbgrader once (a second each
            # otherwise), not from this process, which may have threads.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["autograder.grading.isolation"])
            with ProcessPoolExecutor(workers, mp_context=context) as pool:
                return _in_order(course, assignment, jobs, expected, pool.submit, on_done, feedback)
        return _in_order(course, assignment, jobs, expected, _now, on_done, feedback)


def _now(func, *args):
    """``submit`` for a serial run: the call, made now, as a finished future."""
    future = Future()
    future.set_result(func(*args))
    return future


def _in_order(course, assignment, jobs, expected, submit, on_done, feedback) -> list[Graded]:
    grading = [submit(grade_in_scratch, *job) for job in jobs]
    done: list[Graded] = []
    pending: list[tuple[Graded, Future | None]] = []  # merged, waiting for their feedback

    def report_ready(wait: bool) -> None:
        while pending and (wait or pending[0][1] is None or pending[0][1].done()):
            graded, page = pending.pop(0)
            if page is not None:
                error = _result(page, "")
                if error:
                    graded.notes.append(f"no feedback page: {error}")
            done.append(graded)
            if on_done:
                _safely(on_done, graded)

    for job, future in zip(jobs, grading):
        student, scratch = job[2], job[3] / "course"
        graded = _result(future, Graded(Outcome(student, False, "grading failed: the grading worker stopped")))
        graded = _merged(graded, course, scratch, assignment, expected)
        page = submit(feedback_page, course.root, assignment, student) if feedback and graded.outcome.ok else None
        pending.append((graded, page))
        report_ready(wait=False)
    report_ready(wait=True)
    return done


def _result(future: Future, fallback):
    try:
        return future.result()
    except Exception:  # noqa: BLE001 - a worker that died (BrokenProcessPool): this student only
        return fallback


def _safely(func, *args) -> None:
    try:
        func(*args)
    except Exception as exc:  # noqa: BLE001 - reporting one student must not stop the batch
        print(f"could not report {args[0].outcome.name}: {type(exc).__name__}: {exc}", file=sys.stderr)


def feedback_page(course_root: Path, assignment: str, student: str) -> str:
    """Write ``student``'s feedback on ``assignment`` (nbgrader's generate_feedback); "" or why not."""
    try:
        result = _course(course_root).api.generate_feedback(assignment, student, force=True)
    except Exception as exc:  # noqa: BLE001 - this student's page only
        return f"{type(exc).__name__}: {exc}"
    return "" if result.get("success") else _outcome(student, result).error


@functools.cache
def _course(root: Path) -> Course:
    return Course(root)


def grade_in_scratch(course_root: Path, assignment: str, student: str, tmp: Path,
                     template: Path, expected: dict, notebook_timeout: int) -> Graded:
    """nbgrader's autograde of one submission in the scratch course ``tmp/course``."""
    try:
        return _grade_in_scratch(course_root, assignment, student, tmp, template, expected,
                                 notebook_timeout)
    except Exception as exc:  # one submission's failure must not stop the batch
        return Graded(Outcome(student, False, f"grading failed: {type(exc).__name__}: {exc}"))


def _grade_in_scratch(course_root, assignment, student, tmp, template, expected, notebook_timeout):
    scratch = tmp / "course"
    submitted = course_root / "submitted" / student / assignment
    target = scratch / "submitted" / student / assignment
    copied, ignored = _take_submission(submitted, target, sorted(expected))
    if not copied:
        return Graded(Outcome(student, False, _missing(sorted(expected), ignored)), ignored)
    notes, flags = [], []
    for name in copied:
        problem = inspection.repair(target / name, expected[name.removesuffix(".ipynb")], notes, flags)
        if problem:
            return Graded(Outcome(student, False, f"{name}: {problem}"), ignored, flags, notes)
    shutil.copyfile(template, scratch / "gradebook.db")
    work = tmp / "work"  # the assignment's data files, read-only in the kernel's working folder
    _copy_data_files(course_root / "source" / assignment, work)
    shutil.copy(course_root / CONFIG_FILE, scratch / CONFIG_FILE)
    overrides = Config()
    overrides.Autograde.autograde_preprocessors = sandboxed_preprocessors()
    overrides.SandboxedExecute.notebook_timeout = notebook_timeout
    overrides.SandboxedKernelManager.workdir = str(work)
    overrides.SandboxedKernelManager.tempdir = str(tmp.parent)  # short: IPC socket paths are limited
    overrides.SandboxedExecute.flags_file = str(tmp / "flags.jsonl")
    result = Course(scratch, overrides).api.autograde(assignment, student)
    flags += _kernel_flags(tmp / "flags.jsonl")
    return Graded(_outcome(student, result), ignored, flags, notes)


def _missing(expected: list[str], ignored: list[str]) -> str:
    wanted = ", ".join(f"{name}.ipynb" for name in expected)
    folders = [n for n in ignored if n.rstrip("/") in {f"{e}.ipynb" for e in expected}]
    if folders:
        return f"{folders[0].rstrip('/')} is a folder, not a notebook file"
    others = [n for n in ignored if n.endswith(".ipynb")]
    if others:
        return f"no {wanted} in the submission; handed in instead: {', '.join(others)} (renamed?)"
    return f"no {wanted} in the submission"


def _kernel_flags(path: Path) -> list[str]:
    """The grader's own record of what the kernel changed, one line per test cell."""
    if not path.exists():
        return []
    runs: list[tuple[list[str], list[str]]] = []  # (reasons, cells), in notebook order
    for record in map(json.loads, path.read_text().splitlines()):
        if runs and runs[-1][0] == record["reasons"]:
            runs[-1][1].append(record["cell"])
        else:
            runs.append((record["reasons"], [record["cell"]]))
    return [f"{cells[0]}" + (f" and the {len(cells) - 1} test cells after it" if len(cells) > 1 else "")
            + f": {'; '.join(reasons)}" for reasons, cells in runs]


def _merged(graded: Graded, course: Course, scratch: Path, assignment: str, expected: dict) -> Graded:
    """``graded`` merged into the course, or, when anything goes wrong, recorded as not graded."""
    student = graded.outcome.name
    if graded.outcome.ok:  # the kernel has been shut down and its namespace is empty
        try:
            merge(scratch, course, assignment, student, expected, flagged=bool(graded.flags))
            course.set_review(assignment, student, graded.flags)
            return graded
        except GradebookMismatch as exc:
            error = f"grading produced an unexpected gradebook: {exc}"
        except Exception as exc:  # noqa: BLE001 - the grader's own failure, for this student only
            error = f"merging the grades failed: {type(exc).__name__}: {exc}"
        graded = Graded(Outcome(student, False, error), graded.ignored, graded.flags, graded.notes)
    try:  # not graded: the student is listed (export says "not graded"), with no autograded notebook
        with Gradebook(course.db_url) as gb:
            gb.update_or_create_student(student)
            gb.update_or_create_submission(assignment, student)
        shutil.rmtree(course.root / "autograded" / student / assignment, ignore_errors=True)
        course.set_review(assignment, student, graded.flags)
    except Exception as exc:  # noqa: BLE001
        graded.notes.append(f"could not record it in the gradebook: {type(exc).__name__}: {exc}")
    return graded


# What nbgrader's exchange puts beside a submission: the submission time, and the secret that
# names the feedback page release_feedback hands back. Not the learner's work: never "ignored".
NBGRADER_FILES = ("timestamp.txt", "submission_secret.txt")


def _take_submission(folder: Path, target: Path, expected: list[str]) -> tuple[list[str], list[str]]:
    """Copy the expected notebooks and the timestamp, regular files only; name what else was
    handed in (nbgrader's own files are not named)."""
    target.mkdir(parents=True)
    wanted = {f"{name}.ipynb" for name in expected}
    copied, ignored = [], []
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        regular = stat.S_ISREG(entry.lstat().st_mode)  # a symlink could point at source/
        if regular and (entry.name in wanted or entry.name == "timestamp.txt"):
            shutil.copyfile(entry, target / entry.name)
            copied.append(entry.name)
        elif not (regular and entry.name in NBGRADER_FILES):
            ignored.append(entry.name + ("/" if entry.is_dir() else ""))
    return [name for name in copied if name in wanted], ignored


def _carry_nbgrader_files(submitted: Path, autograded: Path) -> None:
    """nbgrader's timestamp and secret, from the submission to autograded/ (and so to feedback/,
    where release_feedback needs them); regular files of a few bytes only."""
    for name in NBGRADER_FILES:
        path = submitted / name
        try:
            info = path.lstat()
        except FileNotFoundError:
            continue
        if stat.S_ISREG(info.st_mode) and info.st_size <= 4096:
            shutil.copyfile(path, autograded / name)


def _copy_data_files(source: Path, work: Path) -> None:
    """What nbgrader copies from source/ beside the notebook (never the notebooks)."""
    work.mkdir()
    for path in source.rglob("*"):
        if path.is_file() and path.suffix != ".ipynb" and ".ipynb_checkpoints" not in path.parts:
            (work / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, work / path.relative_to(source))


def definition(gb: Gradebook, assignment: str) -> dict:
    """What grading must not change: every cell of the assignment, as the gradebook has it."""
    return {
        nb.name: {
            "grade": {c.name: (c.max_score, c.cell_type) for c in nb.grade_cells},
            "solution": sorted(c.name for c in nb.solution_cells),
            "task": {c.name: (c.max_score, c.cell_type) for c in nb.task_cells},
            "source": {c.name: (c.cell_type, c.locked, c.checksum, c.source) for c in nb.source_cells},
        }
        for nb in gb.find_assignment(assignment).notebooks
    }


def _copy_definition(course_url: str, scratch_url: str, assignment: str) -> dict:
    """A gradebook with only the assignment's definition; returns that definition."""
    with Gradebook(course_url) as src, Gradebook(scratch_url) as dst:
        duedate = src.find_assignment(assignment).duedate
        dst.add_assignment(assignment, duedate=duedate)
        notebooks = definition(src, assignment)
        for name, cells in notebooks.items():
            dst.add_notebook(name, assignment)
            for cell, (max_score, cell_type) in cells["grade"].items():
                dst.add_grade_cell(cell, name, assignment, max_score=max_score, cell_type=cell_type)
            for cell in cells["solution"]:
                dst.add_solution_cell(cell, name, assignment)
            for cell, (max_score, cell_type) in cells["task"].items():
                dst.add_task_cell(cell, name, assignment, max_score=max_score, cell_type=cell_type)
            for cell, (cell_type, locked, checksum, source) in cells["source"].items():
                dst.add_source_cell(cell, name, assignment, cell_type=cell_type, locked=locked,
                                    checksum=checksum, source=source)
    return notebooks


def merge(scratch: Path, course: Course, assignment: str, student: str, expected: dict,
          flagged: bool = False) -> None:
    """Check the scratch gradebook against ``expected`` (the course's ``definition`` of the
    assignment), then write this student's grades into the course's gradebook
    (``flagged`` sets the notebooks' review flag, which the Formgrader shows)."""
    with Gradebook(f"sqlite:///{scratch / 'gradebook.db'}") as sgb, Gradebook(course.db_url) as cgb:
        students = [s.id for s in sgb.students]
        assignments = [a.name for a in sgb.assignments]
        if students != [student] or assignments != [assignment]:
            raise GradebookMismatch(f"students {students}, assignments {assignments}")
        if definition(sgb, assignment) != expected:
            raise GradebookMismatch("the cells, max scores or stored tests differ from the course's")
        submitted = sgb.find_submission(assignment, student)
        cgb.update_or_create_student(student)
        cgb.update_or_create_submission(assignment, student, timestamp=submitted.timestamp)
        for nb in submitted.notebooks:
            into = cgb.find_submission_notebook(nb.name, assignment, student)
            into.flagged = flagged
            grades = {grade.name: grade for grade in into.grades}  # one query, not one per cell
            comments = {comment.name: comment for comment in into.comments}
            for grade in nb.grades:
                if grade.auto_score is not None and not 0 <= grade.auto_score <= grade.max_score:
                    raise GradebookMismatch(f"{grade.name} scored {grade.auto_score}")
                target = grades[grade.name]
                target.auto_score = grade.auto_score
                target.needs_manual_grade = target.manual_score is not None or grade.auto_score is None
            for comment in nb.comments:
                comments[comment.name].auto_comment = comment.auto_comment
        cgb.db.commit()
    graded = scratch / "autograded" / student / assignment
    target = course.root / "autograded" / student / assignment
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for path in sorted(graded.glob("*.ipynb")):
        shutil.copyfile(path, target / path.name)
    _carry_nbgrader_files(course.root / "submitted" / student / assignment, target)
