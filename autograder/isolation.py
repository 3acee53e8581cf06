"""Grade each submission in a scratch course of its own, its kernel in the sandbox.

The scratch course holds the config, a gradebook with this one assignment's definition
(copied from the course gradebook: cells, max scores, checksums, the stored tests) and the
submission's expected notebooks, nothing else. nbgrader's own ``autograde`` runs there with
``Execute`` swapped for ``SandboxedExecute``. Only after the kernel is gone does the grader
read the scratch gradebook, check it against the course's, and merge this one student's
grades into the course gradebook and its notebooks into ``autograded/``.
"""

from __future__ import annotations

import math
import multiprocessing
import shutil
import stat
import tempfile
import time
from dataclasses import dataclass, field
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from nbformat import NotebookNode
from nbgrader.api import Gradebook
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute
from traitlets import Integer
from traitlets.config import Config

from autograder.grading import CONFIG_FILE, Course, Outcome, _outcome
from autograder.sandbox import SandboxedKernelManager

NOTEBOOK_TIME_LIMIT = "NotebookTimeLimit"


class SandboxedExecute(Execute):
    """nbgrader's Execute with the kernel in the sandbox and a wall-time limit per notebook.

    Once the notebook's time is spent, every remaining code cell gets an error output
    instead of running (a cell with no output would otherwise score full marks).
    """

    notebook_timeout = Integer(120, config=True, help="Seconds for the whole notebook.")

    def __init__(self, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(**kwargs)

    def preprocess(self, nb, resources, km=None):
        self._deadline = time.monotonic() + self.notebook_timeout
        self.timeout_func = self._cell_timeout
        return super().preprocess(nb, resources, km=km)

    def _cell_timeout(self, cell) -> int:
        return max(1, min(self.timeout, math.ceil(self._deadline - time.monotonic())))

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and time.monotonic() >= self._deadline:
            cell.outputs = [NotebookNode(
                output_type="error", ename=NOTEBOOK_TIME_LIMIT, evalue="not run",
                traceback=[f"the notebook used up its {self.notebook_timeout} s"])]
            return cell, resources
        return super().preprocess_cell(cell, resources, index)


class GradebookMismatch(Exception):
    """The scratch gradebook is not what grading this one submission may produce."""


@dataclass
class Graded:
    outcome: Outcome
    ignored: list[str] = field(default_factory=list)  # submitted files that were not graded


def autograde(course: Course, assignment: str, student: str, notebook_timeout: int = 120) -> Graded:
    """Grade ``student``'s submission of ``assignment`` in a sandbox; merge it on success."""
    return autograde_all(course, assignment, [student], workers=0, notebook_timeout=notebook_timeout)[0]


def autograde_all(course: Course, assignment: str, students: list[str], workers: int = 0,
                  notebook_timeout: int = 120) -> list[Graded]:
    """Grade every submission in its own sandbox, ``workers`` at a time (0: here, one by one),
    and merge them into the course in the order given, whatever order they finish in."""
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        template = Path(tmp) / "definition.db"  # this assignment's gradebook, made once
        expected = _copy_definition(course.db_url, f"sqlite:///{template}", assignment)
        jobs = [(course.root, assignment, student, Path(tmp) / student, template, expected,
                 notebook_timeout) for student in students]
        if workers:
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(workers, mp_context=context) as pool:
                results = list(pool.map(grade_in_scratch, *zip(*jobs)))
        else:
            results = [grade_in_scratch(*job) for job in jobs]
        return [_merged(graded, course, job[3] / "course", assignment) for graded, job in zip(results, jobs)]


def grade_in_scratch(course_root: Path, assignment: str, student: str, tmp: Path,
                     template: Path, expected: list[str], notebook_timeout: int) -> Graded:
    """nbgrader's autograde of one submission in the scratch course ``tmp/course``."""
    try:
        return _grade_in_scratch(course_root, assignment, student, tmp, template, expected,
                                 notebook_timeout)
    except Exception as exc:  # one submission's failure must not stop the batch
        return Graded(Outcome(student, False, f"grading failed: {type(exc).__name__}: {exc}"))


def _grade_in_scratch(course_root, assignment, student, tmp, template, expected, notebook_timeout):
    scratch = tmp / "course"
    submitted = course_root / "submitted" / student / assignment
    copied, ignored = _take_submission(submitted, scratch / "submitted" / student / assignment, expected)
    if not copied:
        return Graded(Outcome(student, False, "no notebook in the submission"), ignored)
    shutil.copyfile(template, scratch / "gradebook.db")
    work = tmp / "work"  # the kernel's working folder: the assignment's data files
    _copy_data_files(course_root / "source" / assignment, work)
    shutil.copy(course_root / CONFIG_FILE, scratch / CONFIG_FILE)
    overrides = Config()
    overrides.Autograde.autograde_preprocessors = [
        SandboxedExecute if p is Execute else p for p in Autograde().autograde_preprocessors]
    overrides.SandboxedExecute.notebook_timeout = notebook_timeout
    overrides.SandboxedKernelManager.workdir = str(work)
    overrides.SandboxedKernelManager.tempdir = str(tmp.parent)  # short: IPC socket paths are limited
    result = Course(scratch, overrides).api.autograde(assignment, student)
    return Graded(_outcome(student, result), ignored)


def _merged(graded: Graded, course: Course, scratch: Path, assignment: str) -> Graded:
    student = graded.outcome.name
    if graded.outcome.ok:  # the kernel has been shut down and its namespace is empty
        try:
            merge(scratch, course, assignment, student)
            return graded
        except GradebookMismatch as exc:
            error = f"grading produced an unexpected gradebook: {exc}"
            graded = Graded(Outcome(student, False, error), graded.ignored)
    # Not graded: the student is listed (export says "not graded"), with no autograded notebook.
    with Gradebook(course.db_url) as gb:
        gb.update_or_create_student(student)
        gb.update_or_create_submission(assignment, student)
    shutil.rmtree(course.root / "autograded" / student / assignment, ignore_errors=True)
    return graded


def _take_submission(folder: Path, target: Path, expected: list[str]) -> tuple[list[str], list[str]]:
    """Copy the expected notebooks (and nbgrader's timestamp), regular files only; name the rest."""
    target.mkdir(parents=True)
    wanted = {f"{name}.ipynb" for name in expected}
    copied, ignored = [], []
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        regular = stat.S_ISREG(entry.lstat().st_mode)  # a symlink could point at source/
        if regular and (entry.name in wanted or entry.name == "timestamp.txt"):
            shutil.copyfile(entry, target / entry.name)
            copied.append(entry.name)
        else:
            ignored.append(entry.name + ("/" if entry.is_dir() else ""))
    return [name for name in copied if name in wanted], ignored


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


def _copy_definition(course_url: str, scratch_url: str, assignment: str) -> list[str]:
    """A gradebook with only the assignment's definition; returns its notebooks' names."""
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
    return sorted(notebooks)


def merge(scratch: Path, course: Course, assignment: str, student: str) -> None:
    """Check the scratch gradebook, then write this student's grades into the course's."""
    with Gradebook(f"sqlite:///{scratch / 'gradebook.db'}") as sgb, Gradebook(course.db_url) as cgb:
        students = [s.id for s in sgb.students]
        assignments = [a.name for a in sgb.assignments]
        if students != [student] or assignments != [assignment]:
            raise GradebookMismatch(f"students {students}, assignments {assignments}")
        if definition(sgb, assignment) != definition(cgb, assignment):
            raise GradebookMismatch("the cells, max scores or stored tests differ from the course's")
        submitted = sgb.find_submission(assignment, student)
        cgb.update_or_create_student(student)
        cgb.update_or_create_submission(assignment, student, timestamp=submitted.timestamp)
        for nb in submitted.notebooks:
            for grade in nb.grades:
                if grade.auto_score is not None and not 0 <= grade.auto_score <= grade.max_score:
                    raise GradebookMismatch(f"{grade.name} scored {grade.auto_score}")
                target = cgb.find_grade(grade.name, nb.name, assignment, student)
                target.auto_score = grade.auto_score
                target.needs_manual_grade = target.manual_score is not None or grade.auto_score is None
            for comment in nb.comments:
                cgb.find_comment(comment.name, nb.name, assignment, student).auto_comment = comment.auto_comment
        cgb.db.commit()
    graded = scratch / "autograded" / student / assignment
    target = course.root / "autograded" / student / assignment
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for path in sorted(graded.glob("*.ipynb")):
        shutil.copyfile(path, target / path.name)
