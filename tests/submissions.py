"""Known submissions for the grading pipeline, built from the release and tests/variants/.

``variants/<assignment>/<anchor>/wrong_*.py`` and ``right_*.py`` each hold the whole
source of one answer cell (the cell whose grade id is the anchor's name) and a line
``# Expected: N``: the points the anchor's test cells (grade ids ``<anchor>-…``) must give it.
A ``right_`` variant expects full marks, a ``wrong_`` one fewer.

Submission ``wrong-k`` answers every anchor with its k-th wrong variant (the reference for
anchors with fewer), ``right-k`` likewise, so a handful of graded notebooks cover every
variant; an anchor's score depends only on its own answer cell.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from conftest import VARIANTS

SOLUTION_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")
EXPECTED = re.compile(r"^# Expected: (\d+(?:\.\d+)?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Variant:
    anchor: str
    name: str
    source: str
    expected: float

    @property
    def correct(self) -> bool:
        return self.name.startswith("right_")


@dataclass
class Submission:
    student: str
    answers: dict[str, Variant] = field(default_factory=dict)


def variants(assignment: str) -> list[Variant]:
    found = []
    for path in sorted((VARIANTS / assignment).glob("*/*.py")):
        source = path.read_text(encoding="utf-8")
        match = EXPECTED.search(source)
        if match is None:
            raise ValueError(f"{path} has no '# Expected: N' line")
        found.append(Variant(path.parent.name, path.stem, source, float(match.group(1))))
    return found


def plan(assignment: str) -> list[Submission]:
    """``reference`` and ``blank`` first, then ``wrong-k`` and ``right-k``."""
    submissions = [Submission("reference"), Submission("blank")]
    for kind in ("wrong", "right"):
        by_anchor: dict[str, list[Variant]] = {}
        for variant in variants(assignment):
            if variant.name.startswith(kind + "_"):
                by_anchor.setdefault(variant.anchor, []).append(variant)
        rounds = max((len(v) for v in by_anchor.values()), default=0)
        for k in range(rounds):
            answers = {a: vs[k] for a, vs in by_anchor.items() if k < len(vs)}
            submissions.append(Submission(f"{kind}-{k + 1}", answers))
    return submissions


def reference_answers(source_nb: nbformat.NotebookNode) -> dict[str, str]:
    """The source's answer cells with the solution markers removed: the model answer."""
    return {
        cell.metadata.nbgrader.grade_id: "\n".join(
            line for line in cell.source.splitlines() if not SOLUTION_MARKER.match(line)
        )
        for cell in source_nb.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }


def fill(release_nb: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    """The released notebook with its answer cells replaced, as a learner would hand it in."""
    nb = copy.deepcopy(release_nb)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in answers:
            cell.source = answers[grade_id]
    return nb


def write(course_root: Path, assignment: str, student: str, nb: nbformat.NotebookNode) -> None:
    folder = course_root / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{assignment}.ipynb")


def anchor_scores(cells) -> dict[str, tuple[float, float]]:
    """Sum scores per anchor: a test cell ``take-edges`` belongs to the anchor ``take``."""
    totals: dict[str, tuple[float, float]] = {}
    for cell in cells:
        anchor = cell.grade_id.split("-")[0]
        score, most = totals.get(anchor, (0.0, 0.0))
        totals[anchor] = (score + cell.score, most + cell.max_score)
    return totals
