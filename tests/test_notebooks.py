"""Every lesson runs top to bottom; every source assignment passes its own tests."""

from __future__ import annotations

import pytest

from conftest import ASSIGNMENTS, LESSONS, ROOT, execute


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_executes(path):
    execute(path)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_source_assignment_passes_its_tests(name):
    [path] = (ROOT / "source" / name).glob("*.ipynb")
    nb = execute(path, timeout=30)
    for cell in nb.cells:
        grading = cell.metadata.get("nbgrader", {})
        if not grading.get("grade"):
            continue
        stderr = [o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"]
        assert not stderr, f"{grading['grade_id']} writes to stderr, which nbgrader scores 0: {stderr}"
