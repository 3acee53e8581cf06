"""Repository rules: clean notebooks, nbgrader cell conventions, anchors, dependencies."""

from __future__ import annotations

import ast
import re
import tomllib
from collections import Counter

import nbformat
import pytest
import yaml

import submissions as subs
from conftest import ASSIGNMENTS, LESSONS, ROOT

NOTEBOOKS = LESSONS + sorted((ROOT / "source").glob("*/*.ipynb"))
# notebooks/glossary.ipynb is the course's glossary, not a lesson (tests/test_glossary.py).
CHAPTERS = [path for path in LESSONS if path.name != "glossary.ipynb"]

# The syllabus's anchor exercises: names that instructors and reviewers grade against.
ANCHORS = {
    "01-iterators": ["FibonacciIterator", "Countdown", "take", "chunked"],
    "02-generators": ["fibonacci", "averager", "price_stats", "drain"],
    "03-yield-from": ["my_chain", "flatten", "delegate", "summarize"],
    "04-event-loops": ["round_robin", "TinyLoop", "run_echo_server"],
    "05-async-await": ["drive", "supervisor", "call_async"],
    "06-futures-tasks": ["collect_with_callbacks", "timeline"],
    "07-running-many": ["fetch_all", "fetch_settled", "race", "with_timeout", "as_they_arrive"],
    "08-threads-processes": ["run_blocking", "submit_from_thread"],
    "09-synchronisation": ["CachedFetcher", "limited_gather", "pipeline", "BoundedBuffer", "ticker"],
    "10-streams": ["handle_echo", "handle_json_http", "http_get", "run_commands"],
    "11-aiohttp": ["fetch", "crawl_book", "save_book", "make_app"],
    "12-capstone": ["JobRunner"],
}


def nbgrader_cells(nb):
    return [(c, c.metadata["nbgrader"]) for c in nb.cells if "nbgrader" in c.metadata]


def source_notebook(assignment):
    [path] = (ROOT / "source" / assignment).glob("*.ipynb")
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"cell {cell.id} has output"
    ids = [cell.id for cell in nb.cells]
    assert len(set(ids)) == len(ids), "cell ids must be unique"
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", i) for i in ids)
    assert nb.metadata.kernelspec.name == "python3"


def test_file_names_follow_the_layout():
    for path in CHAPTERS:
        assert re.fullmatch(r"\d\d-[a-z0-9-]+", path.stem), path.name
    for name in ASSIGNMENTS:
        assert re.fullmatch(r"\d\d-[a-z0-9-]+", name)
        assert [p.name for p in (ROOT / "source" / name).glob("*.ipynb")] == [f"{name}.ipynb"]
        assert (ROOT / "notebooks" / f"{name}.ipynb").is_file(), f"{name} has no lesson"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_lesson_has_the_standard_sections(path):
    nb = nbformat.read(path, as_version=4)
    headings = [line for c in nb.cells if c.cell_type == "markdown"
                for line in c.source.splitlines() if line.startswith("#")]
    text = "\n".join(headings)
    for section in ("What you'll learn", "What you need", "Wrapping up", "Further reading"):
        assert section in text, f"{path.name} has no '{section}' heading"
    assert not any("nbgrader" in c.metadata for c in nb.cells), "lessons are not graded"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_assignment_cells_follow_nbgrader_conventions(assignment):
    cells = nbgrader_cells(source_notebook(assignment))
    ids = Counter(meta["grade_id"] for _, meta in cells)
    assert not [i for i, n in ids.items() if n > 1], "grade ids must be unique"
    solution_ids = {meta["grade_id"] for _, meta in cells if meta["solution"]}
    for cell, meta in cells:
        if meta["grade"]:
            assert cell.cell_type == "code" and not meta["solution"]
            assert meta["locked"] and meta["points"] > 0, meta["grade_id"]
            anchor = meta["grade_id"].split("-")[0]
            assert anchor in solution_ids, f"{meta['grade_id']} tests no answer cell"
        if meta["solution"]:
            assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
            assert not meta["grade"], "answers are graded by test cells, not by hand"
    for answer in solution_ids:
        assert any(m["grade_id"].startswith(answer + "-") for _, m in cells if m["grade"]), answer


@pytest.mark.parametrize("assignment", [a for a in ASSIGNMENTS if a in ANCHORS])
def test_each_anchor_has_its_own_answer_cell(assignment):
    answers = {meta["grade_id"]: cell.source for cell, meta in nbgrader_cells(source_notebook(assignment))
               if meta["solution"]}
    for anchor in ANCHORS[assignment]:
        assert anchor in answers, f"no answer cell with grade id {anchor}"
        tree = ast.parse(answers[anchor])
        defined = {n.name for n in tree.body
                   if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}
        assert anchor in defined, f"the {anchor} cell does not define {anchor}"
        assert not (defined & set(ANCHORS[assignment])) - {anchor}, "one anchor per cell"


@pytest.mark.parametrize("assignment", [a for a in ASSIGNMENTS if a in ANCHORS])
def test_each_anchor_has_known_wrong_and_right_answers(assignment):
    kinds = Counter((v.anchor, v.correct) for v in subs.variants(assignment))
    for anchor in ANCHORS[assignment]:
        assert kinds[(anchor, False)] >= 2, f"{anchor} needs at least two wrong answers"
        assert kinds[(anchor, True)] >= 2, f"{anchor} needs at least two right answers"
    exercises = {meta["grade_id"] for _, meta in nbgrader_cells(source_notebook(assignment)) if meta["solution"]}
    named = {v.anchor for v in subs.variants(assignment)}
    assert named <= exercises, f"variants for no exercise of {assignment}: {sorted(named - exercises)}"


TRY_IT = re.compile(r"\*\*Try it[.:]\*\*")
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", re.DOTALL)


def _test_cells(assignment):
    return [(cell, meta) for cell, meta in nbgrader_cells(source_notebook(assignment)) if meta["grade"]]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_visible_self_check_asserts_say_what_was_expected(assignment):
    bare = []
    for cell, meta in _test_cells(assignment):
        visible = HIDDEN.sub("", cell.source)
        tree = ast.parse("\n".join(line for line in visible.splitlines() if not line.lstrip().startswith("%")))
        bare += [f"{meta['grade_id']} line {node.lineno}" for node in ast.walk(tree)
                 if isinstance(node, ast.Assert) and node.msg is None]
    assert not bare, f"visible asserts without a message (expected vs got): {bare}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_hidden_test_cells_say_what_they_check(assignment):
    silent = [meta["grade_id"] for cell, meta in _test_cells(assignment)
              if "### BEGIN HIDDEN TESTS" in cell.source
              and not any(line.strip().startswith("#") for line in HIDDEN.sub("", cell.source).splitlines())]
    assert not silent, f"hidden-test cells without a comment saying what they check: {silent}"


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_try_it_has_an_answer_or_a_check(path):
    cells = nbformat.read(path, as_version=4).cells
    unanswered = []
    for i, cell in enumerate(cells):
        if cell.cell_type != "markdown" or not TRY_IT.search(cell.source):
            continue
        following = cells[i:i + 3]
        if not any("<details>" in c.source if c.cell_type == "markdown" else "assert" in c.source
                   for c in following):
            unanswered.append(cell.id)
    assert not unanswered, f"'Try it' without a folded answer or a check nearby: cells {unanswered}"


def _requirement_name(spec: str) -> tuple[str, str]:
    name, rest = re.match(r"([A-Za-z0-9_.-]+)\s*(.*)", spec).groups()
    return re.sub(r"[-_.]+", "-", name).lower(), rest.replace(" ", "")


def test_environment_yml_and_pyproject_list_the_same_packages():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    conda = [d for d in env if isinstance(d, str)]
    pip = next(d["pip"] for d in env if isinstance(d, dict))
    listed = dict(_requirement_name(s) for s in conda + pip if not s.startswith(("python", "pip")))
    assert listed == dict(_requirement_name(s) for s in pyproject["dependencies"])
    python = next(s for s in conda if s.startswith("python"))
    assert python.removeprefix("python") == pyproject["requires-python"]


def test_readme_lists_every_exercise_of_each_chapter():
    rows = {line.split("|")[1].strip(): line.split("|")[3] for line in
            (ROOT / "README.md").read_text().splitlines() if re.match(r"\| \d\d \|", line)}
    for assignment in ASSIGNMENTS:
        answers = [meta["grade_id"] for _, meta in nbgrader_cells(source_notebook(assignment)) if meta["solution"]]
        listed = re.findall(r"`([^`]+)`", rows.get(assignment[:2], ""))
        assert listed == answers, f"README's row for {assignment}: expected {answers}, got {listed}"
