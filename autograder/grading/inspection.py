"""A submitted notebook read by the grader before nbgrader sees it: problems in plain words.

``repair`` turns what would be a raw error inside nbgrader (``KeyError: 'grade_id'``,
``Inconsistent checksums``, a JSON traceback) into a sentence an instructor can act on.
A notebook that cannot be read is not graded, and the reason says why. Cells whose nbgrader
settings do not match the assignment (a stolen or duplicated grade id, an answer cell
turned into a graded one, cells of another chapter) are set back to what the assignment
says, or made ordinary cells, and a note says what was done. Every cell of learner code
is read by ``hints.static_flags``.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import nbformat
from nbformat.warnings import MissingIDFieldWarning

from autograder.grading import hints

PLACEHOLDER = "# This answer cell was missing from the submission; the grader put back an empty one."


def repair(path: Path, definition: dict, notes: list[str], flags: list[str]) -> str | None:
    """Check and repair the notebook at ``path`` in place; return why it cannot be graded."""
    nb, problem = _read(path)
    if problem:
        return problem
    grade, solution, source = definition["grade"], set(definition["solution"]), definition["source"]
    seen: set[str] = set()
    foreign: list[str] = []
    for number, cell in enumerate(nb.cells, 1):
        meta = cell.get("metadata", {}).get("nbgrader")
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        if meta is not None and (grade_id not in source or grade_id in seen):
            del cell.metadata["nbgrader"]
            if grade_id in seen:
                notes.append(f"cell {number} repeats the grade id {grade_id!r}: graded as an ordinary cell")
            else:
                foreign.append(str(grade_id))
            grade_id = None
        if grade_id:
            seen.add(grade_id)
            wanted = _settings(grade_id, grade, solution, source)
            if any(meta.get(key) != value for key, value in wanted.items()):
                notes.append(f"cell {grade_id!r} had its nbgrader settings changed: set back")
                meta.update(wanted)
        locked = grade_id is not None and source[grade_id][1]
        if cell.cell_type == "code" and not locked:
            label = grade_id or f"cell {number}"
            flags.extend(f"{label}: {reason}" for reason in hints.static_flags(cell.source))
    if foreign:
        notes.append(f"{len(foreign)} cells carry grade ids this assignment does not have "
                     f"({', '.join(foreign[:3])}{'...' if len(foreign) > 3 else ''}): graded as ordinary cells")
    if len(foreign) > len(seen):
        notes.append("most of its nbgrader cells belong to no cell of this assignment: "
                     "is it another chapter's notebook?")
    missing = sorted(set(grade) - solution - seen)
    if missing:
        notes.append(f"test cells missing or without their metadata, restored from the gradebook: "
                     f"{', '.join(missing)}")
    lost = [grade_id for grade_id in source if grade_id in solution - seen]
    if lost:
        notes.append(f"answer cells missing or without their metadata (their code still runs "
                     f"where it is): {', '.join(lost)}")
    for grade_id in lost:  # nbgrader puts a missing test after its answer cell, so it needs one
        meta = {"grade_id": grade_id, "schema_version": 3, "task": False,
                **_settings(grade_id, grade, solution, source)}
        nb.cells.append(nbformat.v4.new_code_cell(PLACEHOLDER, metadata={"nbgrader": meta}))
    nbformat.write(nb, path)
    return None


def _read(path: Path) -> tuple[nbformat.NotebookNode | None, str | None]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, (f"not UTF-8 text (byte {exc.start} is {data[exc.start]:#04x}); "
                      "open it in Jupyter and save it again")
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"not a notebook: not valid JSON (line {exc.lineno}, column {exc.colno})"
    try:
        with warnings.catch_warnings():  # cells without ids: nbformat adds them, nbgrader copes
            warnings.simplefilter("ignore", MissingIDFieldWarning)
            nb = nbformat.reads(text, as_version=4)
            nbformat.validate(nb)
    except Exception as exc:  # nbformat raises several kinds for a malformed notebook
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return None, f"does not follow the notebook format ({first[:120]})"
    return nb, None


def _settings(grade_id: str, grade: dict, solution: set, source: dict) -> dict:
    """The nbgrader metadata the assignment gives the cell ``grade_id``."""
    wanted = {"grade": grade_id in grade, "solution": grade_id in solution,
              "locked": source[grade_id][1]}
    if grade_id in grade:
        wanted["points"] = grade[grade_id][0]
    return wanted  # the checksum is nbgrader's to restore: it resets it from the gradebook
