"""The static check of answer cells: hints for the person who reviews a flagged submission."""

from __future__ import annotations

import pytest

from autograder.grading import hints


@pytest.mark.parametrize("source, reason", [
    ("get_ipython().events.register('post_run_cell', f)", "registers an IPython event hook"),
    ("import gc\nobjs = gc.get_objects()", "imports gc"),
    ("import sys\nsys.modules['autograder.vtime'] = fake", "uses sys.modules"),
    ("exec(code)", "runs code from a string (exec)"),
    ("frame = sys._getframe(1)", "reads interpreter frames"),
    ("open('../gradebook.db')", "names a course file ('../gradebook.db')"),
    ("import ctypes", "imports ctypes"),
    ("getattr(sys, 'add' + 'audithook')(f)", "looks an attribute up by a computed name (getattr)"),
])
def test_static_flags_name_what_no_exercise_needs(source, reason):
    assert reason in hints.static_flags(source)


@pytest.mark.parametrize("source", [
    "import re\npattern = re.compile('a+')",
    "import sys\nerror = sys.exc_info()",
    "async def main():\n    events = [asyncio.Event() for _ in range(3)]\n    stderr = b''",
    "with open('chapter.txt', 'w') as f:\n    f.write(text)",
    "%timeit sum(range(10))",
])
def test_static_flags_leave_ordinary_answers_alone(source):
    assert hints.static_flags(source) == []


def test_imported_modules_are_read_from_every_import_form():
    sources = ["from autograder import vtime, probes\nimport aiohttp",
               "from autograder.site import NovelSite\nfrom autograder import (tcp,\n    threads)"]
    assert hints.imported_modules(sources) == [
        "aiohttp", "autograder", "autograder.probes", "autograder.site", "autograder.tcp",
        "autograder.threads", "autograder.vtime"]
