"""nbgrader's standard workflow, driven from Python for one course directory.

Each step calls nbgrader's own API (the same code as the ``nbgrader`` command) and
reports per assignment or per student, so one broken submission (malformed JSON, a
deleted notebook, a kernel that dies) is reported and skipped while everyone else is
graded and the gradebook stays intact.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import shutil
import sys
import tempfile
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# jsonschema builds rfc3987-syntax's grammar when it is imported (a second of every grading
# process and worker) only to check "iri" formats, which no notebook schema uses.
sys.modules.setdefault("rfc3987_syntax", None)

import nbformat  # noqa: E402
from nbgrader.api import Gradebook  # noqa: E402
from nbgrader.apps import NbGraderAPI  # noqa: E402
from sqlalchemy.exc import SAWarning  # noqa: E402
from traitlets.config import Config  # noqa: E402
from traitlets.config.loader import PyFileConfigLoader  # noqa: E402

CONFIG_FILE = "nbgrader_config.py"

# nbgrader's gradebook code trips SQLAlchemy's autoflush warnings; they say nothing to an instructor.
warnings.filterwarnings("ignore", category=SAWarning)

# nbgrader runs the `alembic` command to open its gradebook, so this interpreter's scripts
# must be on PATH even when it was started as .venv/bin/python without activating .venv.
_scripts = str(Path(sys.executable).parent)
if _scripts not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = os.pathsep.join([_scripts, os.environ.get("PATH", "")])


@dataclass
class Outcome:
    """What happened to one step for one assignment or student."""

    name: str
    ok: bool
    error: str = ""


@dataclass
class CellScore:
    grade_id: str
    score: float
    max_score: float
    message: str = ""


@dataclass
class Report:
    """The autograded result of one submission."""

    student: str
    ok: bool
    cells: list[CellScore] = field(default_factory=list)
    error: str = ""
    stopped: dict[str, set[str]] = field(default_factory=dict)  # cell label -> kinds of error it shows

    @property
    def score(self) -> float:
        return sum(cell.score for cell in self.cells)

    @property
    def max_score(self) -> float:
        return sum(cell.max_score for cell in self.cells)


class Course:
    """A course directory: ``nbgrader_config.py``, ``source/``, and what nbgrader makes."""

    def __init__(self, root: str | Path = ".", overrides: Config | None = None) -> None:
        self.root = Path(root).resolve()
        if not (self.root / CONFIG_FILE).is_file():
            raise FileNotFoundError(f"{self.root} is not a course directory: no {CONFIG_FILE}")
        config = Config(PyFileConfigLoader(CONFIG_FILE, path=str(self.root)).load_config())
        config.CourseDirectory.root = str(self.root)
        if overrides is not None:
            config.merge(overrides)
        self.api = NbGraderAPI(config=config)

    @property
    def db_url(self) -> str:
        return self.api.coursedir.db_url

    def assignments(self) -> list[str]:
        return sorted(p.name for p in (self.root / "source").iterdir() if p.is_dir())

    def students(self, assignment: str) -> list[str]:
        submitted = self.root / "submitted"
        if not submitted.is_dir():
            return []
        return sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir())

    def release(self, names: Iterable[str] | None = None) -> list[Outcome]:
        """Generate the student versions, and make the exchange the way release_assignment
        would (open to every account), so that it does not warn it had to on first use."""
        new_gradebook(self.db_url)
        outcomes = [
            _outcome(name, self.api.generate_assignment(name, force=True, create=True))
            for name in (names or self.assignments())
        ]
        exchange = Path(self.api.config.Exchange.root)
        with contextlib.suppress(OSError):  # a shared exchange the instructor cannot make: theirs
            if not exchange.exists():
                exchange.mkdir(parents=True)
                exchange.chmod(0o777)
        return outcomes

    def autograde(self, assignment: str, students: Iterable[str] | None = None) -> list[Outcome]:
        outcomes = []
        for student in students or self.students(assignment):
            if not list((self.root / "submitted" / student / assignment).glob("*.ipynb")):
                outcomes.append(Outcome(student, False, "no notebook in the submission"))
                continue
            outcomes.append(_outcome(student, self.api.autograde(assignment, student)))
        return outcomes

    def feedback(self, assignment: str) -> Outcome:
        return _outcome(assignment, self.api.generate_feedback(assignment))

    def report(self, assignment: str, student: str) -> Report:
        """Per test cell scores of an autograded submission, with the first error line."""
        notebooks = self.autograded(assignment, student)
        if not notebooks:
            return Report(student, False, error="not autograded")
        with Gradebook(self.db_url) as gb:
            submission = gb.find_submission(assignment, student)
            cells = []
            for nb in submission.notebooks:
                messages = _error_lines(notebooks.get(nb.name))
                for grade in nb.grades:
                    if grade.auto_score is None or grade.cell_type != "code":
                        continue
                    cells.append(
                        CellScore(grade.name, grade.score, grade.max_score, messages.get(grade.name, ""))
                    )
        stopped = {}
        for nb in notebooks.values():
            for number, cell in enumerate(nb.cells, 1):
                label = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell {number}"
                kinds = {o.get("ename") for o in cell.get("outputs", []) if o.get("output_type") == "error"}
                if kinds:
                    stopped[label] = kinds
        return Report(student, True, sorted(cells, key=lambda c: c.grade_id), stopped=stopped)

    def review_path(self, assignment: str, student: str) -> Path:
        """Where the reasons to look at a submission are kept (one per line)."""
        return self.root / "flagged" / assignment / f"{student}.txt"

    def set_review(self, assignment: str, student: str, reasons: list[str]) -> None:
        """Keep why a person should look at this submission (none: forget earlier reasons)."""
        path = self.review_path(assignment, student)
        if reasons:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("".join(f"{reason}\n" for reason in reasons))
        else:
            path.unlink(missing_ok=True)

    def review(self, assignment: str, student: str) -> list[str]:
        path = self.review_path(assignment, student)
        return path.read_text().splitlines() if path.is_file() else []

    def export(self, path: str | Path) -> Path:
        """Write one row per submission: ``assignment, student, score, max_score, status,
        review``.

        A submission that could not be autograded has an empty score and the status
        ``not graded``, so it is never mistaken for a zero. ``review`` says why the grader
        flagged it for a person to look at (empty: not flagged).
        """
        path = self.root / path
        with Gradebook(self.db_url) as gb, open(path, "w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["assignment", "student", "score", "max_score", "status", "review"])
            for assignment in gb.assignments:
                for submission in assignment.submissions:
                    student = submission.student.id
                    if self._autograded_paths(assignment.name, student):
                        row = [submission.score, submission.max_score, "graded"]
                    else:
                        row = ["", submission.max_score, "not graded"]
                    review = "; ".join(self.review(assignment.name, student))
                    writer.writerow([assignment.name, student, *row, review])
        return path

    def _autograded_paths(self, assignment: str, student: str) -> list[Path]:
        return sorted((self.root / "autograded" / student / assignment).glob("*.ipynb"))

    def autograded(self, assignment: str, student: str) -> dict[str, dict]:
        return {p.stem: nbformat.read(p, as_version=4) for p in self._autograded_paths(assignment, student)}


def new_gradebook(db_url: str) -> None:
    """A new course gradebook as nbgrader's ``Gradebook`` makes one, where there is none: its
    tables, stamped with nbgrader's schema version for ``nbgrader db upgrade``. nbgrader
    finds that version by running the ``alembic`` command in a subprocess (1.1-1.6 s of CPU);
    alembic's script directory, read here, names the same head in milliseconds."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(db_url)
    try:
        if inspect(engine).get_table_names():  # every release but the first: nothing to import
            return
        from alembic.script import ScriptDirectory
        from nbgrader.api import Base
        from nbgrader.dbutil import ALEMBIC_DIR

        head = ScriptDirectory(ALEMBIC_DIR).get_current_head()
        Base.metadata.create_all(engine)
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:head)"), {"head": head})
    finally:
        engine.dispose()


def empty_gradebook(path: Path) -> None:
    """nbgrader's gradebook tables, made with SQLAlchemy alone.

    nbgrader's ``Gradebook`` creates the same tables, then runs the ``alembic`` command in a
    subprocess to stamp a new database with its schema version (seconds, most of a check);
    it skips that for a database that has tables, and a throwaway one is never migrated.
    """
    from nbgrader.api import Base
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    engine.dispose()


def scratch_course(source_root: Path, dest: str | Path, assignments: Iterable[str]) -> Course:
    """A fresh course directory at ``dest`` with the config and the given source assignments."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(source_root / CONFIG_FILE, dest / CONFIG_FILE)
    for name in assignments:
        shutil.copytree(source_root / "source" / name, dest / "source" / name)
    return Course(dest)


def _fail_on(outcomes: list[Outcome]) -> None:
    failed = [o for o in outcomes if not o.ok]
    if failed:
        raise RuntimeError("; ".join(f"{o.name}: {o.error}" for o in failed))


# What the usual failures mean, for the person reading the grading report.
_EXPLANATIONS = {
    "DeadKernelError": "the kernel died while running the notebook "
    "(a cell exited the interpreter, crashed it or ran out of memory)",
    "CellTimeoutError": "a cell ran past the time limit and did not stop when interrupted",
    "NotJSONError": "the file is not a notebook (not valid JSON: damaged or renamed)",
    "NotebookValidationError": "the notebook does not follow the notebook format",
}
# An exception's last line; zmq's "Again" (a socket that cannot take more) ends in neither word.
_EXCEPTION_LINE = re.compile(r"^\s*(?:[\w.]+\.)?(\w+(?:Error|Exception)|Again): ?(.*)$")


def _outcome(name: str, result: dict) -> Outcome:
    if result.get("success"):
        return Outcome(name, True)
    text = "\n".join([result.get("log") or "", result.get("error") or ""])
    causes = [m.groups() for m in map(_EXCEPTION_LINE.match, text.splitlines()) if m]
    causes = [(kind, detail) for kind, detail in causes if kind != "NbGraderException"]
    if not causes:
        return Outcome(name, False, "nbgrader failed without saying why; see its log")
    if any("<IDS|MSG>" in detail for _, detail in causes) or any(k == "Again" for k, _ in causes):
        return Outcome(name, False, "the kernel's messages could not be read: the notebook wrote "
                                    "into the kernel's own connections")
    known = [cause for cause in causes if cause[0] in _EXPLANATIONS]
    kind, detail = (known or causes)[0]
    return Outcome(name, False, _EXPLANATIONS.get(kind, f"{kind}: {detail}".strip()))


def _error_lines(nb) -> dict[str, str]:
    """For each graded cell of an autograded notebook, the first line explaining a failure."""
    lines: dict[str, str] = {}
    if nb is None:
        return lines
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                lines[grade_id] = f"{output['ename']}: {output['evalue']}".strip()
                break
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                text = "".join(output.get("text", ""))
                first = next((line.strip() for line in text.splitlines() if line.strip()), "")
                lines[grade_id] = f"wrote to stderr: {first}" if first else "wrote a blank line to stderr"
                break
    return lines
