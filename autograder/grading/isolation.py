"""Grade each submission in a scratch course of its own, its kernel in the sandbox.

The scratch course holds the config, a gradebook with this one assignment's definition
(copied from the course gradebook: cells, max scores, checksums, the stored tests) and the
submission's expected notebooks, nothing else. nbgrader's own ``autograde`` runs there with
``Execute`` swapped for ``SandboxedExecute``. Only after the kernel is gone does the grader
read the scratch gradebook, check it against the course's, and merge this one student's
grades into the course gradebook and its notebooks into ``autograded/``.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

# grading first: it keeps nbformat's import (through jsonschema) from costing a second
from autograder.grading.course import CONFIG_FILE, Course, Outcome, _outcome  # isort: skip
from nbformat import NotebookNode
from nbgrader.api import Gradebook
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer, List, Unicode
from traitlets.config import Config

from autograder.grading import guard, inspection
from autograder.grading.sandbox import SandboxedKernelManager

NOTEBOOK_TIME_LIMIT = "NotebookTimeLimit"


class SandboxedExecute(Execute):
    """nbgrader's Execute with the kernel in the sandbox, and the grader deciding outcomes.

    - A wall-time limit per notebook: once it is spent, every remaining code cell gets an
      error output instead of running (a cell with no output would score full marks).
    - A test cell scores from what the grader saw: the kernel's execute reply must say
      ``ok`` and the cell must show no error and nothing on stderr. Its displayed value is
      shown but never read as partial credit unless its grade id is in ``partial_credit``.
    - Before a test cell that follows answer code, and after the last cell, the grader
      fingerprints the kernel (``autograder.guard``). A change flags the submission for
      review; with ``tampered_cells_score_zero`` the test cells run since the last clean
      check, and every one run until a check is clean again, score 0.
    - Each cell's output is capped at ``max_output_bytes``; the rest is dropped, with a note.
    """

    notebook_timeout = Integer(120, config=True, help="Seconds for the whole notebook.")
    max_output_bytes = Integer(1 << 20, config=True, help="Output kept per cell, in bytes.")
    partial_credit = List(Unicode(), config=True,
                          help="Grade ids of test cells whose displayed number is partial credit.")
    tampered_cells_score_zero = Bool(True, config=True,
                                     help="A test cell that ran in a tampered kernel scores 0.")
    flags_file = Unicode("", config=True, help="Where to append flags (JSON lines).")

    def __init__(self, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(**kwargs)

    def preprocess(self, nb, resources, km=None):
        self._deadline = time.monotonic() + self.notebook_timeout
        self.timeout_func = self._cell_timeout
        self._watch, self._stale, self._status = None, True, "ok"
        self._unchecked, self._tampering, self._timed_out_after = [], [], self.timeout
        self._output_bytes: dict[int, int] = {}
        self._notebook = resources.get("unique_key", "")
        return super().preprocess(nb, resources, km=km)

    def _cell_timeout(self, cell) -> int:
        return max(1, min(self.timeout, math.ceil(self._deadline - time.monotonic())))

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if time.monotonic() >= self._deadline:
            cell.outputs = [_error(NOTEBOOK_TIME_LIMIT, "not run",
                                   f"the notebook used up its {self.notebook_timeout} s")]
            return cell, resources
        if self._watch is None:  # before any learner code runs
            self._watch = guard.Watch(self._ask)
            self._watch.start(guard.imported_modules(c.source for c in self.nb.cells
                                                     if c.cell_type == "code"))
            self._last_code = max(i for i, c in enumerate(self.nb.cells) if c.cell_type == "code")
        graded = cell.metadata.get("nbgrader", {}).get("grade", False)
        if graded and self._stale:  # answer code ran since the last check
            self._settle()
        cell, resources = super().preprocess_cell(cell, resources, index)
        self._name_timeout(cell)
        self._stale = self._stale or not graded
        if graded:
            self._judge(cell)
            if self._tampering:  # still changed at the last check: this test ran in it
                self._zero(cell, self._tampering)
            else:
                self._unchecked.append(cell)
        if index == self._last_code:
            self._settle()
        return cell, resources

    async def _async_handle_timeout(self, timeout, cell=None):
        self._timed_out_after = timeout
        return await super()._async_handle_timeout(timeout, cell)

    def _name_timeout(self, cell) -> None:
        """A cell stopped at its time limit says so first (the interrupt shows up as a
        KeyboardInterrupt before nbgrader's CellTimeoutError)."""
        stopped = [o for o in cell.outputs if o.output_type == "error" and o.ename == "CellTimeoutError"]
        if stopped:
            cell.outputs = [o for o in cell.outputs if o not in stopped]
            cell.outputs.insert(0, _error("CellTimeoutError", f"stopped at the "
                                          f"{self._timed_out_after} s time limit", ""))

    def _settle(self) -> None:
        """Fingerprint the kernel. A change zeroes the test cells run since the last clean
        check (their learner code may have made it) and every one run until a check is clean."""
        self._tampering = self._watch.check()
        for cell in self._unchecked if self._tampering else []:
            self._zero(cell, self._tampering)
        self._unchecked, self._stale = [], False

    def _ask(self, probe: guard.Probe) -> dict | None:
        msg_id = self.kc.execute(probe.code, silent=True, store_history=False,
                                 user_expressions=probe.user_expressions)
        return self.wait_for_reply(msg_id)

    def on_cell_executed(self, **kwargs):
        self._status = kwargs["execute_reply"]["content"].get("status")
        super().on_cell_executed(**kwargs)

    def _judge(self, cell) -> None:
        if cell.metadata["nbgrader"].get("grade_id", "") not in self.partial_credit:
            for output in cell.outputs:
                if output.output_type == "execute_result":  # shown, never read as a score
                    output.output_type = "display_data"
                    output.pop("execution_count", None)
        if self._status != "ok" and not any(o.output_type == "error" for o in cell.outputs):
            cell.outputs.append(_error("KernelReply", f"the kernel reported {self._status!r}", ""))

    def _zero(self, cell, tampering: list[str]) -> None:
        self._flag(cell.metadata["nbgrader"].get("grade_id", ""), tampering)
        if self.tampered_cells_score_zero:
            cell.outputs.insert(0, _error(
                "FlaggedForReview", "this test ran while the submission had changed what "
                "grading relies on: " + "; ".join(tampering), ""))

    def _flag(self, grade_id: str, reasons: list[str]) -> None:
        if self.flags_file:
            with open(self.flags_file, "a") as out:
                out.write(json.dumps({"notebook": self._notebook, "cell": grade_id,
                                      "reasons": reasons}) + "\n")

    def output(self, outs, msg, display_id, cell_index):
        size = len(json.dumps(msg.get("content", {})))
        used = self._output_bytes.get(cell_index, 0)
        self._output_bytes[cell_index] = used + size
        if used + size <= self.max_output_bytes:
            return super().output(outs, msg, display_id, cell_index)
        if used <= self.max_output_bytes:  # the first message over the cap
            outs.append(NotebookNode(output_type="stream", name="stdout", text=(
                f"[the grader dropped this cell's output beyond {self.max_output_bytes} bytes]\n")))
        return None


def _error(ename: str, evalue: str, traceback: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"{ename}: {evalue}" + (f" ({traceback})" if traceback else "")])


class GradebookMismatch(Exception):
    """The scratch gradebook is not what grading this one submission may produce."""


@dataclass
class Graded:
    outcome: Outcome
    ignored: list[str] = field(default_factory=list)  # submitted files that were not graded
    flags: list[str] = field(default_factory=list)  # why a person should look at it
    notes: list[str] = field(default_factory=list)  # what the grader repaired or noticed


def autograde(course: Course, assignment: str, student: str, notebook_timeout: int = 120) -> Graded:
    """Grade ``student``'s submission of ``assignment`` in a sandbox; merge it on success."""
    return autograde_all(course, assignment, [student], workers=0, notebook_timeout=notebook_timeout)[0]


def autograde_all(course: Course, assignment: str, students: list[str], workers: int = 0,
                  notebook_timeout: int = 120,
                  on_done: Callable[[Graded], None] | None = None) -> list[Graded]:
    """Grade every submission in its own sandbox, ``workers`` at a time (0: here, one by one).

    Submissions are merged into the course in the order given, whatever order they finish
    in, so the gradebook gets the same writes as a serial run. ``on_done`` is called with
    each merged result, as soon as it and every one before it are in.
    """
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        template = Path(tmp) / "definition.db"  # this assignment's gradebook, made once
        expected = _copy_definition(course.db_url, f"sqlite:///{template}", assignment)
        jobs = [(course.root, assignment, student, Path(tmp) / student, template, expected,
                 notebook_timeout) for student in students]
        merged = []

        def merge_in_order(results: Iterable[Graded]) -> None:
            for job, graded in zip(jobs, results):
                merged.append(_merged(graded, course, job[3] / "course", assignment, expected))
                if on_done:
                    on_done(merged[-1])

        if workers:
            # Workers fork from a server that has imported nbgrader once (a second each
            # otherwise), not from this process, which may have threads.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["autograder.grading.isolation"])
            with ProcessPoolExecutor(workers, mp_context=context) as pool:
                merge_in_order(pool.map(grade_in_scratch, *zip(*jobs)))  # yields in order
        else:
            merge_in_order(grade_in_scratch(*job) for job in jobs)
        return merged


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
    work = tmp / "work"  # the kernel's working folder: the assignment's data files
    _copy_data_files(course_root / "source" / assignment, work)
    shutil.copy(course_root / CONFIG_FILE, scratch / CONFIG_FILE)
    overrides = Config()
    overrides.Autograde.autograde_preprocessors = [
        SandboxedExecute if p is Execute else p for p in Autograde().autograde_preprocessors]
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
    student = graded.outcome.name
    if graded.outcome.ok:  # the kernel has been shut down and its namespace is empty
        try:
            merge(scratch, course, assignment, student, expected, flagged=bool(graded.flags))
            course.set_review(assignment, student, graded.flags)
            return graded
        except GradebookMismatch as exc:
            error = f"grading produced an unexpected gradebook: {exc}"
            graded = Graded(Outcome(student, False, error), graded.ignored, graded.flags, graded.notes)
    # Not graded: the student is listed (export says "not graded"), with no autograded notebook.
    with Gradebook(course.db_url) as gb:
        gb.update_or_create_student(student)
        gb.update_or_create_submission(assignment, student)
    shutil.rmtree(course.root / "autograded" / student / assignment, ignore_errors=True)
    course.set_review(assignment, student, graded.flags)
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
            cgb.find_submission_notebook(nb.name, assignment, student).flagged = flagged
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
