"""Mutation testing of an assignment's tests: does every plausible mistake lose a mark?

For each answer cell of the reference solution (``source/NN-slug/NN-slug.ipynb``, the cells
nbgrader calls ``solution``), ``autograder.grading.mutant_operators`` makes mutants: the
reference with one small change. Mutants that do not compile are skipped and those with the
same code (same AST) kept once. Each mutant replaces the reference answer, and the anchor's
test cells (grade ids ``<anchor>-...``) run on it as grading runs them, after the setup and
helper cells and the other answers (``autograder.grading.mutant_runner``). A mutant is
**killed** when one of those cells fails (it loses a mark), and **survives** otherwise.

A mutant's id is its anchor and a digest of its code's AST: comments and layout do not change
it, any change to the code does, so a record of a mutant that is no longer made is stale.
Records (equivalent mutants, known survivors, verdicts) are ``autograder.grading.mutant_records``.
``verify`` is the check ``make test`` runs for each assignment.
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import autograder
from autograder.grading import mutant_operators, mutant_runner
from autograder.grading.mutant_records import Score, Verdict, read_records, recorded_verdicts
from autograder.grading.mutant_runner import Cell

SOLUTION_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")
RECORDS = Path("tests") / "mutants"


@dataclass(frozen=True)
class Mutant:
    anchor: str
    id: str  # "<anchor>/<digest>"
    operator: str
    line: int
    description: str
    source: str  # the whole answer cell, mutated
    reference: str

    def diff(self, context: int = 1) -> str:
        return "\n".join(difflib.unified_diff(
            self.reference.splitlines(), self.source.splitlines(), f"{self.anchor} (reference)",
            f"{self.anchor} (mutant {self.id.split('/')[1]})", n=context, lineterm=""))


@dataclass
class Anchor:
    """One exercise: its answer cell, and the cells that run when its tests are graded."""

    name: str
    reference: str
    cells: list[Cell]  # in notebook order; the answer cell's grade id is the anchor's name
    points: dict[str, float]  # of each of its test cells
    context: str = ""  # digest of all a verdict depends on except the mutant's code

    def with_answer(self, source: str) -> list[Cell]:
        return [Cell(c.grade_id, source, c.graded) if c.grade_id == self.name else c for c in self.cells]


@dataclass
class Assignment:
    name: str
    root: Path  # the course directory
    anchors: dict[str, Anchor]
    preload: list[str]  # modules the cells import
    cell_timeout: float

    @property
    def records(self) -> Path:
        return self.root / RECORDS

    def mutants(self) -> dict[str, list[Mutant]]:
        return {name: make_mutants(anchor) for name, anchor in self.anchors.items()}


def load(root: str | Path, name: str) -> Assignment:
    """Read ``source/<name>/<name>.ipynb`` of the course at ``root``."""
    root = Path(root).resolve()
    path = root / "source" / name / f"{name}.ipynb"
    if not path.is_file():
        raise FileNotFoundError(f"no assignment {name!r}: {path} does not exist")
    notebook = json.loads(path.read_text(encoding="utf-8"))  # nbformat costs seconds to import
    cells: list[tuple[str, str, str]] = []  # (role, grade id, source)
    points = {}
    for number, cell in enumerate(notebook["cells"], 1):
        if cell["cell_type"] != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id", f"cell-{number}")
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if meta.get("solution"):
            source = "\n".join(line for line in source.splitlines() if not SOLUTION_MARKER.match(line))
            cells.append(("answer", grade_id, source))
        else:
            cells.append(("test" if meta.get("grade") else "locked" if meta.get("locked") else "other",
                          grade_id, source))
        if meta.get("grade"):
            points[grade_id] = float(meta.get("points", 0))
    runtime = _runtime_digest(root, [source for _, _, source in cells])
    timeout = _cell_timeout(root)
    anchors = {}
    for role, grade_id, source in cells:
        if role != "answer":
            continue
        plan = [Cell(g, s, r == "test", r in ("test", "locked")) for r, g, s in cells
                if r != "test" or g.split("-")[0] == grade_id]
        anchor = Anchor(grade_id, source, plan, {c.grade_id: points[c.grade_id] for c in plan if c.graded})
        anchor.context = _digest(runtime, str(timeout),
                                 *(f"{c.grade_id}\0{c.graded}\0{'' if c.grade_id == grade_id else code(c.source)}"
                                   for c in plan))
        anchors[grade_id] = anchor
    return Assignment(name, root, anchors, _imports([s for _, _, s in cells]), timeout)


def make_mutants(anchor: Anchor) -> list[Mutant]:
    """The anchor's mutants: compiled, one per distinct code, none the same as the reference."""
    try:
        reference_tree = dump(ast.parse(anchor.reference))
    except SyntaxError:
        return []
    seen = {reference_tree}
    found = []
    for mutation in mutant_operators.mutations(anchor.reference):
        source = mutant_operators.apply(anchor.reference, mutation)
        try:
            tree = ast.parse(source)
            compile(tree, "<mutant>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        except (SyntaxError, ValueError):
            continue
        code = dump(tree)
        if code in seen:
            continue
        seen.add(code)
        digest = _digest(anchor.name, code)[:10]
        found.append(Mutant(anchor.name, f"{anchor.name}/{digest}", mutation.operator, mutation.line,
                            mutation.description, source, anchor.reference))
    return found


# -- what a verdict depends on ------------------------------------------------------------

def _digest(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() + b"\0\1")
    return digest.hexdigest()


def _imports(sources: Iterable[str]) -> list[str]:
    """Modules the code imports (``from a import b`` counts ``a`` and ``a.b``, which may be a
    module): the worker imports them once, as grading's kernel imports the course modules
    before any cell runs."""
    found = {"asyncio"}
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue  # IPython syntax: the cell says what it imports when it runs
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*")
    return sorted(found)


def _runtime_digest(root: Path, sources: list[str]) -> str:
    """The runner's code, the course's config, and the ``autograder`` modules the cells import,
    with every ``autograder`` module those import in turn."""
    package = Path(autograder.__file__).resolve().parent
    todo = [m for m in _imports(sources) if m.split(".")[0] == "autograder"] + ["autograder"]
    files: set[Path] = set()
    while todo:
        module = todo.pop()
        parts = module.split(".")[1:]
        for path in (package.joinpath(*parts).with_suffix(".py"), package.joinpath(*parts, "__init__.py")):
            if path.is_file() and path not in files:
                files.add(path)
                text = path.read_text(encoding="utf-8")
                todo += [m for m in _imports([text]) if m.split(".")[0] == "autograder"]
                todo += _relative_imports(text, module if path.name == "__init__.py" else module.rpartition(".")[0])
    files.add(Path(mutant_runner.__file__).resolve())
    config = root / "nbgrader_config.py"
    parts = [f"{p.relative_to(package.parent)}\0{code(p.read_text(encoding='utf-8'))}" for p in sorted(files)]
    return _digest(*parts, config.read_text(encoding="utf-8") if config.is_file() else "")


def code(source: str) -> str:
    """What a piece of Python does, without its comments, layout and docstrings: editing those
    leaves the verdicts current. (Code that does not parse, such as a magic, stays as it is.)"""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body \
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
    return dump(tree)


def dump(node) -> str:
    """``ast.dump`` that every Python from 3.11 on writes the same way: fields that are empty or
    None are left out (3.12 added ``type_params=[]`` to every function, and 3.13's ``ast.dump``
    leaves such fields out itself; 3.12.1 puts an empty string at the end of some f-string
    format specs), so mutant ids and digests do not depend on the version."""
    if isinstance(node, ast.AST):
        fields = [(name, getattr(node, name, None)) for name in node._fields]
        if isinstance(node, ast.JoinedStr):
            fields = [("values", [v for v in node.values if not (isinstance(v, ast.Constant) and v.value == "")])]
        shown = [f"{name}={dump(value)}" for name, value in fields if value not in (None, [])]
        return f"{type(node).__name__}({', '.join(shown)})"
    if isinstance(node, list):
        return f"[{', '.join(dump(item) for item in node)}]"
    return repr(node)


_TIMEOUT = re.compile(r"^c\.(?:Execute|ExecutePreprocessor|NotebookClient)\.timeout\s*=\s*(\d+(?:\.\d*)?)\s*(?:#.*)?$", re.M)


def _relative_imports(text: str, package: str) -> list[str]:
    """``from . import x`` and ``from .x import y`` in a module of ``package``, as absolute names."""
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            base = f"{package}.{node.module}" if node.module else package
            found += [base] + [f"{base}.{alias.name}" for alias in node.names]
    return found


@cache
def _cell_timeout(root: Path) -> float:
    """nbgrader's per-cell limit, ``c.Execute.timeout = N`` in the course's config (read as
    text: loading the config imports nbgrader, seconds for every check)."""
    config = root / "nbgrader_config.py"
    found = _TIMEOUT.findall(config.read_text(encoding="utf-8")) if config.is_file() else []
    if not found:
        raise RuntimeError(f"{config} sets no c.Execute.timeout = <seconds>: the mutants' cells need that limit")
    return float(found[-1])


# -- running ------------------------------------------------------------------------------

@dataclass
class Baseline:
    """The reference answers run by the mutation runner: every test cell must pass."""

    failed: dict[str, dict[str, str]] = field(default_factory=dict)  # anchor: {cell: why}

    @property
    def ok(self) -> bool:
        return not self.failed


def run(assignment: Assignment, mutants: list[Mutant], workers: int = 2,
        on_verdict: Callable[[Mutant, Verdict], None] | None = None,
        anchors: Iterable[str] | None = None, reference: bool = True) -> tuple[Baseline, dict[str, Verdict]]:
    """Run the reference of each anchor in ``anchors`` (default: those of ``mutants``; none
    unless ``reference``), then every mutant, ``workers`` at a time; return the baseline and
    each mutant's verdict. The mutants of an anchor whose reference fails are not run."""
    names = sorted(set(anchors or ()) | {m.anchor for m in mutants}) if reference else []
    data = assignment.root / "source" / assignment.name
    baseline = Baseline()
    verdicts: dict[str, Verdict] = {}
    with mutant_runner.Pool(workers, assignment.preload, data, assignment.cell_timeout) as pool:
        for index, outcome in pool.run([assignment.anchors[n].cells for n in names], stop_at_first=False):
            if outcome.failed or outcome.error:
                baseline.failed[names[index]] = outcome.failed or {"(runner)": outcome.error}
        runnable = [m for m in mutants if m.anchor not in baseline.failed]
        jobs = [assignment.anchors[m.anchor].with_answer(m.source) for m in runnable]
        for index, outcome in pool.run(jobs):
            verdicts[runnable[index].id] = verdict = Verdict.of(outcome)
            if on_verdict:
                on_verdict(runnable[index], verdict)
    return baseline, verdicts


def sample(mutants: Iterable[Mutant], size: int, salt: str = "") -> list[Mutant]:
    """``size`` mutants chosen by their ids' digests: the same for the same mutants, anywhere."""
    return sorted(mutants, key=lambda m: _digest(salt, m.id))[:size]


def score(assignment: Assignment, verdicts: dict[str, Verdict] | None = None) -> Score:
    """The assignment's score from ``verdicts`` (default: its current recorded verdicts)."""
    found = assignment.mutants()
    if verdicts is None:
        verdicts, _ = recorded_verdicts(assignment, found)
    records, problems = read_records(assignment)
    return Score(assignment.name, found, verdicts, records, problems)


def verify(root: str | Path, name: str, live: int = 2) -> tuple[Score, list[str]]:
    """What ``make test`` checks of an assignment, without running every mutant: its recorded
    verdicts are current, every survivor is recorded, every record is right; and the runner,
    run now on ``live`` recorded mutants (half of them not killed, where there are; the quick
    ones first), gives the recorded verdicts. Returns the score and the problems, in words."""
    assignment = load(root, name)
    found = assignment.mutants()
    recorded, stale = recorded_verdicts(assignment, found)
    result = score(assignment, recorded)
    problems = list(result.problems)
    if stale:
        problems.append(f"the recorded verdicts of {', '.join(stale)} are stale (a cell, the runtime or the "
                        f"mutants changed): run `python -m autograder mutants {name} --stale` and commit "
                        f"{RECORDS / (name + '.json')}")
    problems += [f"not judged: {m.id}: {result.verdicts[m.id].error}" for m in result.errors]
    problems += [f"a survivor that is not recorded: {m.id} ({m.operator}, line {m.line}): {m.description}\n"
                 f"{m.diff()}" for m in result.unrecorded]
    judged = [m for m in result.all if m.id in recorded]
    killed = _cheap([m for m in judged if recorded[m.id].killed], recorded)
    alive = _cheap([m for m in judged if not recorded[m.id].killed], recorded)
    chosen = sample(alive, live // 2, name)
    chosen += sample(killed, live - len(chosen), name)
    # A recorded survivor that survives now has passed every cell of its anchor, as the reference
    # must: the references run only when no survivor is in the sample, so that a runner that
    # fails every cell cannot agree with the records.
    baseline, now = run(assignment, chosen, workers=1, reference=not set(chosen) & set(alive))
    for anchor, cells in baseline.failed.items():
        problems.append(f"the reference answer of {anchor} fails its own tests under the runner: {cells}")
    for mutant in chosen:  # killed or not: a test that fails a mutant by luck moves its first failure
        if mutant.id in now and now[mutant.id].killed != recorded[mutant.id].killed:
            problems.append(f"{mutant.id} was recorded as {_said(recorded[mutant.id])}, but run now it was "
                            f"{_said(now[mutant.id])}: a flaky test, or a runner that changed")
    return result, problems


def _cheap(found: list[Mutant], verdicts: dict[str, Verdict], seconds: float = 1.0) -> list[Mutant]:
    """The mutants that took at most ``seconds`` when recorded, or all if none did."""
    quick = [m for m in found if verdicts[m.id].seconds <= seconds]
    return quick or found


def _said(verdict: Verdict) -> str:
    return f"killed by {verdict.killed_by}" if verdict.killed else "not killed"
