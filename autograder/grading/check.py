"""``python -m autograder check NOTEBOOK``: one notebook graded as ``make grade`` grades it.

The notebook goes through the same path as a submission (repaired, run in the sandbox with the
warden, scored, flagged) in a throwaway course, so it is safe to point at someone else's
notebook. The assignment's definition (what ``nbgrader generate_assignment`` writes into the
gradebook) is made once per version of the assignment and kept in a cache folder; a check
then costs one sandboxed kernel.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbgrader

from autograder.grading import isolation, sandbox
from autograder.grading.course import CONFIG_FILE, CellScore, Course, Report, empty_gradebook, scratch_course


class RefusedUnsandboxed(RuntimeError):
    """No sandbox here, and the check would run someone's code as root."""


@dataclass
class Checked:
    report: Report
    sandboxed: bool
    flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def check(notebook: str | Path, assignment: str, course_root: str | Path = ".",
          unsandboxed: bool = False) -> Checked:
    """Grade ``notebook`` against ``assignment``'s hidden tests; cells in notebook order, with
    "not answered" and "stopped at the time limit" said in words."""
    notebook = Path(notebook)
    if not notebook.is_file():
        raise FileNotFoundError(f"no notebook at {notebook}")
    root = Path(course_root).resolve()
    if not (root / CONFIG_FILE).is_file():
        raise FileNotFoundError(f"{root} is not a course directory: no {CONFIG_FILE}")
    if not (root / "source" / assignment).is_dir():
        raise KeyError(f"no assignment {assignment!r} in {root / 'source'}")
    why_not = sandbox.unavailable()
    if why_not and os.geteuid() == 0 and not unsandboxed:
        raise RefusedUnsandboxed(
            f"no sandbox here ({why_not}), and this runs as root: the notebook's code would run "
            "with root's rights. Install bubblewrap, or say --unsandboxed if you trust it.")
    with tempfile.TemporaryDirectory(prefix="course-check-") as tmp:
        course = scratch_course(root, Path(tmp) / "course", [])
        shutil.copyfile(definition(root, assignment), course.root / "gradebook.db")
        shutil.copytree(root / "source" / assignment, course.root / "source" / assignment,
                        ignore=shutil.ignore_patterns("*.ipynb"))  # its data files, if any
        target = course.root / "submitted" / "check" / assignment
        target.mkdir(parents=True)
        shutil.copyfile(notebook, target / f"{assignment}.ipynb")
        graded = isolation.autograde(course, assignment, "check")
        if not graded.outcome.ok:
            report = Report("check", False, error=graded.outcome.error)
        else:
            report = course.report(assignment, "check")
            nb = course.autograded(assignment, "check")[assignment]
            config = course.api.config
            report = explained(report, nb, config.Execute.timeout, config.ClearSolutions.code_stub["python"])
        return Checked(report, why_not is None, graded.flags, graded.notes)


def definition(root: Path, assignment: str) -> Path:
    """A gradebook holding only ``assignment``'s definition, from the cache when it is current."""
    key = hashlib.sha256()
    for path in [root / CONFIG_FILE, *sorted((root / "source" / assignment).rglob("*"))]:
        if path.is_file():
            key.update(path.name.encode() + b"\0" + path.read_bytes())
    key.update(nbgrader.__version__.encode())
    cached = _cache() / f"{assignment}-{key.hexdigest()[:20]}.db"
    if not cached.is_file():
        with tempfile.TemporaryDirectory(prefix="course-definition-") as tmp:
            empty_gradebook(Path(tmp) / "gradebook.db")
            course = scratch_course(root, tmp, [assignment])
            failed = [o for o in course.release([assignment]) if not o.ok]
            if failed:
                raise RuntimeError(f"{assignment} could not be generated: {failed[0].error}")
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.tmp")
            shutil.copyfile(Path(tmp) / "gradebook.db", partial)
            partial.replace(cached)  # atomic: two checks at once never see half a file
    return cached


def _cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "asyncio-course" / "definitions"


def explained(report: Report, nb, timeout: float, stub: str = "# YOUR CODE HERE\nraise NotImplementedError()") -> Report:
    """``report`` with its cells in notebook order, and plain words for the usual failures.

    A failed test of an exercise whose answer cell still holds the released stub, or raised
    ``NotImplementedError``, is "not answered" (wherever the stub sits: at the top of the cell
    or inside a function); a cell interrupted at the time limit says so, not
    ``KeyboardInterrupt``; a test that failed for want of a name its answer cell did not define
    names that cell's error.
    """
    order, answers = [], {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if "grade_id" in meta:
            order.append(meta["grade_id"])
        if meta.get("solution"):
            answers[meta["grade_id"]] = (_first_error(cell), _holds(cell.get("source", ""), stub))
    position = {grade_id: i for i, grade_id in enumerate(order)}
    cells = []
    for cell in sorted(report.cells, key=lambda c: position.get(c.grade_id, len(order))):
        message = cell.message
        answer_error, stub = answers.get(cell.grade_id.split("-")[0], (None, False))
        failed = cell.score < cell.max_score
        if failed and (stub or message.startswith("NotImplementedError")
                       or (answer_error and answer_error[0] == "NotImplementedError")):
            message = "not answered (its answer cell still holds the released stub)"
        elif failed and answer_error is not None and answer_error[0] == "KeyboardInterrupt":
            message = f"its answer cell was stopped at the {timeout:g} s time limit"
        elif failed and answer_error is not None and message.startswith("NameError"):
            message = f"its answer cell failed: {answer_error[0]}: {answer_error[1]}".rstrip(": ")
        elif message.startswith("KeyboardInterrupt"):
            message = f"stopped at the {timeout:g} s time limit (an endless loop? a blocked event loop?)"
        cells.append(CellScore(cell.grade_id, cell.score, cell.max_score, message))
    return Report(report.student, report.ok, cells, report.error, report.stopped)


def _holds(source: str, stub: str) -> bool:
    """The released stub's lines are still in ``source``, one after the other (at any indent)."""
    lines, wanted = [line.strip() for line in source.splitlines()], [line.strip() for line in stub.splitlines()]
    return any(lines[i:i + len(wanted)] == wanted for i in range(len(lines)))


def _first_error(cell) -> tuple[str, str] | None:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return output["ename"], output["evalue"]
    return None
