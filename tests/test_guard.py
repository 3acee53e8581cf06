"""The grader's fingerprint of a kernel, and the static check of answer cells."""

from __future__ import annotations

import pytest
from jupyter_client.manager import start_new_kernel

from autograder.grading import guard


@pytest.fixture(scope="module")
def kernel():
    km, kc = start_new_kernel(kernel_name="python3")
    yield kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def run(kc, code: str) -> dict:
    return kc.execute_interactive(code, store_history=True, timeout=60)


def watch(kc) -> guard.Watch:
    def ask(probe):
        return kc.execute_interactive(probe.code, silent=True, store_history=False,
                                      user_expressions=probe.user_expressions, timeout=60)
    found = guard.Watch(ask)
    found.start(["autograder.vtime", "autograder.probes"])
    return found


CHANGES = {
    "import asyncio\nasyncio.sleep = lambda delay: None": "asyncio.sleep was changed",
    "import autograder.vtime\nautograder.vtime.run = print": "autograder.vtime.run was changed",
    "get_ipython().events.register('post_run_cell', lambda result: None)":
        "IPython post_run_cell hooks was changed",
    "import ast\nget_ipython().ast_transformers.append(ast.NodeTransformer())":
        "IPython ast_transformers was changed",
    "import sys, io\nsys.stderr = io.StringIO()": "sys.stderr was changed",
    "import warnings\nwarnings.simplefilter('ignore')": "warnings.filters was changed",
    "import builtins\nbuiltins.all = any": "builtins.all was changed",
}


@pytest.mark.parametrize("code", CHANGES, ids=[w.rsplit(" was", 1)[0] for w in CHANGES.values()])
def test_a_change_is_named(kernel, code):
    found = watch(kernel)  # each case takes its own baseline, after the cases before it
    assert found.check() == []
    run(kernel, code)
    assert CHANGES[code] in found.check()


def test_ordinary_code_changes_nothing(kernel):
    found = watch(kernel)
    run(kernel, "import asyncio, collections\nasync def f():\n    await asyncio.sleep(0)\n"
                "asyncio.run(f())\nx = collections.Counter('abc')\nprint(x)")
    assert found.check() == []


def test_a_wrapper_around_the_check_is_named(kernel):
    found = watch(kernel)
    run(kernel, "shell = get_ipython()\n_original = shell.run_cell\n"
                "def run_cell(*args, **kwargs):\n    return _original(*args, **kwargs)\n"
                "shell.run_cell = run_cell")
    said = found.check()
    assert any("shell instance methods" in s for s in said), said
    run(kernel, "del get_ipython().run_cell")


def test_no_answer_is_tampering():
    found = guard.Watch(lambda probe: None)
    with pytest.raises(RuntimeError, match="did not answer"):
        found.start([])


@pytest.mark.parametrize("source, reason", [
    ("get_ipython().events.register('post_run_cell', f)", "registers an IPython event hook"),
    ("import gc\nobjs = gc.get_objects()", "imports gc"),
    ("import sys\nsys.modules['autograder.vtime'] = fake", "uses sys.modules"),
    ("exec(code)", "runs code from a string (exec)"),
    ("frame = sys._getframe(1)", "reads interpreter frames"),
    ("open('../gradebook.db')", "names a course file ('../gradebook.db')"),
    ("import ctypes", "imports ctypes"),
])
def test_static_flags_name_what_no_exercise_needs(source, reason):
    assert reason in guard.static_flags(source)


@pytest.mark.parametrize("source", [
    "import re\npattern = re.compile('a+')",
    "import sys\nerror = sys.exc_info()",
    "async def main():\n    events = [asyncio.Event() for _ in range(3)]\n    stderr = b''",
    "with open('chapter.txt', 'w') as f:\n    f.write(text)",
    "%timeit sum(range(10))",
])
def test_static_flags_leave_ordinary_answers_alone(source):
    assert guard.static_flags(source) == []


def test_imported_modules_are_read_from_every_import_form():
    sources = ["from autograder import vtime, probes\nimport aiohttp",
               "from autograder.site import NovelSite\nfrom autograder import (tcp,\n    threads)"]
    assert guard.imported_modules(sources) == [
        "aiohttp", "autograder", "autograder.probes", "autograder.site", "autograder.tcp",
        "autograder.threads", "autograder.vtime"]
