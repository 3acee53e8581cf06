"""A warden in a process of its own, for tests/test_warden.py: ``python warden_harness.py MODE``.

This file sits outside the course's trusted folders, so the warden takes code compiled from it
for an answer's. Every snippet is compiled before the warden is installed (after that,
compiling a string is itself refused) and run in IPython's user namespace, as a cell would.
It prints one JSON object: what happened to each snippet and the warden's records.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile

import asyncio  # noqa: F401 - watched from the start, as a graded kernel preloads it
import autograder.checks  # noqa: F401
import autograder.probes  # noqa: F401
import autograder.vtime  # noqa: F401
import pytest  # noqa: F401
from IPython.core.interactiveshell import InteractiveShell

from autograder.grading import warden

KEY = b"k" * 32

# Each must be refused by the warden, and recorded.
ATTACKS = {
    "a second audit hook": "import sys\nsys.addaudithook(lambda event, args: None)",
    "a tracer": "import sys\nsys.settrace(lambda *args: None)",
    "a profiler": "import sys\nsys.setprofile(lambda *args: None)",
    "a tracer for new threads": ("import threading\nthreading.settrace(lambda *args: None)\n"
                                 "thread = threading.Thread(target=print)\nthread.start()\nthread.join()\n"
                                 "threading.settrace(None)"),
    "sys._getframe": "import sys\nframe = sys._getframe()",
    "inspect.currentframe": "import inspect\nframe = inspect.currentframe()",
    "inspect.stack": "import inspect\nframes = inspect.stack()",
    "a traceback's frame": "try:\n    1 / 0\nexcept ZeroDivisionError as exc:\n    frame = exc.__traceback__.tb_frame",
    "a generator's frame": "def numbers():\n    yield 1\nframe = numbers().gi_frame",
    "traceback.walk_stack": "import traceback\nframes = list(traceback.walk_stack(None))",
    "gc.get_objects": "import gc\nobjects = gc.get_objects()",
    "gc.get_referrers": "import gc\nholders = gc.get_referrers(print)",
    "sys._current_frames": "import sys\nframes = sys._current_frames()",
    "ctypes": "import ctypes\nlibc = ctypes.CDLL(None)",
    "ctypes.pythonapi": "import ctypes\nfunction = ctypes.pythonapi.Py_GetVersion",
    "compile": "code = compile('1', 'x', 'eval')",
    "exec of a string": "exec('x = 1')",
    "eval of a string": "eval('1 + 1')",
    "code.replace": "def f():\n    pass\nf.__code__.replace(co_name='g')",
    "FunctionType": "import types\ndef f():\n    pass\ng = types.FunctionType(f.__code__, {})",
    "code with a trusted file name": ("import code, os\n"
                                      "code.InteractiveInterpreter().runsource('stolen = 1', os.__file__)\n"
                                      "assert 'stolen' not in globals(), 'the code ran'"),
    "another object's class": "import asyncio\nclass Fake:\n    pass\nasyncio.Event().__class__ = Fake",
    "a library function's code": ("import autograder.probes as probes\ndef fake(self):\n    return 0\n"
                                  "probes.Tap.__next__.__code__ = fake.__code__"),
    "a library class's bases": "import asyncio\nclass Base:\n    pass\nasyncio.Event.__bases__ = (Base,)",
    "/proc/self/mem": "open('/proc/self/mem', 'rb')",
    "/proc/self/mem through a link": "import os\nos.symlink('/proc/self/mem', 'memory')\nopen('memory', 'rb')",
    "/proc/self as a folder": "import os\nos.open('/proc/self', os.O_RDONLY)",
    "/proc/self/status": "open('/proc/self/status').read()",
    "changing into /proc": "import os\nos.chdir('/proc/self')",
    "a folder opened for dir_fd": "import os\nos.open('/', os.O_RDONLY)",
    "marshal": "import marshal\nmarshal.loads(marshal.dumps(1))",
    "a C extension from the working folder": "import xxlimited",
    "compiled code without its source": "import forged_pyc",
    "the warden's baseline again": "import sys\nsys.audit('autograder.baseline')",
}

# Each must run, with nothing refused and nothing recorded.
ORDINARY = {
    "logging": "import logging\nlogging.getLogger('answer').info('late reply dropped')",
    "a named tuple": "from collections import namedtuple\nPoint = namedtuple('Point', 'x y')\nPoint(1, 2)",
    "a slotted data class": ("from dataclasses import dataclass\n@dataclass(slots=True)\nclass D:\n"
                             "    x: int = 0\nD()"),
    "typing.NamedTuple": "from typing import NamedTuple\nclass P(NamedTuple):\n    x: int\nP(1)",
    "an enum": "import enum\nclass Colour(enum.Enum):\n    RED = 1\nColour(1)",
    "traceback.format_exc": "import traceback\ntry:\n    1 / 0\nexcept ZeroDivisionError:\n    text = traceback.format_exc()",
    "inspect.getgeneratorstate": "import inspect\ndef g():\n    yield\ninspect.getgeneratorstate(g())",
    "files in the working folder": "with open('out.txt', 'w') as f:\n    f.write('x')\nopen('out.txt').read()",
    "pathlib": "import pathlib\npathlib.Path('p.txt').write_text('x')",
    "a temporary folder": ("import os, tempfile\nwith tempfile.TemporaryDirectory() as folder:\n"
                           "    open(os.path.join(folder, 'f'), 'w').close()"),
    "a thread": "import threading\nt = threading.Thread(target=print)\nt.start()\nt.join()",
    "asyncio in debug mode": ("import asyncio\nasync def f():\n    await asyncio.sleep(0)\n"
                              "asyncio.run(f(), debug=True)"),
    "a process pool": ("from concurrent.futures import ProcessPoolExecutor\n"
                       "with ProcessPoolExecutor(1) as pool:\n    list(pool.map(abs, [-1]))"),
    "a subprocess": "import subprocess, sys\nsubprocess.run([sys.executable, '-c', 'pass'], check=True)",
    "the answer's own class": "class A:\n    pass\nA.x = 1\nA.__name__ = 'B'\nA.__doc__ = 'd'\nA().__class__ = A",
    "the answer's own function": "def f(x=1):\n    return x\nf.__defaults__ = (2,)",
    "functools.wraps": ("import functools\ndef deco(f):\n    @functools.wraps(f)\n    def inner(*a):\n"
                        "        return f(*a)\n    return inner\n@deco\ndef g():\n    pass"),
    "pytest.raises": "import pytest\nwith pytest.raises(ValueError):\n    raise ValueError('x')",
}

# Locked cells as the grader hands them to the warden, and answer cells run between them.
CELLS = {
    "setup": "from autograder.probes import Tap\nLIMIT = 3\nSETUP_DONE = True",
    "test-names": "assert LIMIT == 3 and len([1, 2]) == 2 and Tap.__name__ == 'Tap', 'the grader\\'s names'",
    "test-fails": "assert LIMIT == 4, 'LIMIT is 3'",
    "test-vtime": ("from autograder import vtime\nimport pytest\nasync def spin():\n    while True:\n"
                   "        pass\nwith pytest.raises(vtime.BlockedLoopError):\n    vtime.run(spin, wall_limit=0.3)"),
    "test-answer": "assert answer() == 42, 'answer() is 42'",
    "test-nested": "nest()",
    "test-gc": ("import gc\nclass Cycle:\n    def __init__(self):\n        self.me = self\nCycle()\n"
                "assert gc.get_freeze_count() > 10_000, f'frozen at the baseline: {gc.get_freeze_count()}'\n"
                "assert gc.collect() >= 2, 'the cycle made by this cell was not collected'"),
}
STEPS = [  # (what the notebook runs, a grader cell or an answer's code)
    ("cell", "setup"),
    ("answer", "LIMIT = 100\nTap = None\nlen = lambda items: 0"),
    ("cell", "test-names"),
    ("cell", "test-fails"),
    ("cell", "test-vtime"),
    ("answer", "def answer():\n    return 42"),
    ("cell", "test-answer"),
    ("answer", "def nest():\n    import sys\n    sys.audit('autograder.run', 'test-names')"),
    ("cell", "test-nested"),
    ("answer", "import sys\nsys.audit('autograder.run', 'test-answer')"),
    ("answer", "import os\nos.write(REPORT_FD, b'99\\tpassed\\ttest-fails\\t\\tdeadbeef\\n')"),
    ("answer", "import threading, time\nthreading.Thread(target=lambda: time.sleep(3), daemon=True).start()"),
    ("cell", "test-answer"),
    ("answer", "import autograder.probes as probes\nprobes.Tap.__next__ = lambda self: 0"),
    ("cell", "test-answer"),
    ("cell", "test-gc"),
]


def compiled(snippets: dict[str, str]) -> dict[str, object]:
    return {name: compile(source, f"/answer/{i}.py", "exec") for i, (name, source) in enumerate(snippets.items())}


def prepare_files(folder: str) -> None:
    """A C extension copied into the working folder, and a sourceless .pyc that claims a
    trusted file name: both must not load."""
    import glob
    import importlib.util
    import marshal
    import shutil

    dynload = glob.glob(os.path.join(os.path.dirname(os.__file__), "lib-dynload", "xxlimited.*.so"))
    if dynload:  # the working folder comes first on sys.path, so this copy is the one imported
        shutil.copy(dynload[0], os.path.join(folder, os.path.basename(dynload[0])))
    code = compile("FORGED = True", os.__file__, "exec")
    with open(os.path.join(folder, "forged_pyc.pyc"), "wb") as out:
        out.write(importlib.util.MAGIC_NUMBER + b"\0" * 12 + marshal.dumps(code))


def main(mode: str) -> None:
    folder = tempfile.mkdtemp(prefix="warden-")
    os.chdir(folder)
    sys.path.insert(0, folder)
    prepare_files(folder)
    read, write = os.pipe()
    os.set_blocking(read, False)
    shell = InteractiveShell.instance()
    shell.user_ns["REPORT_FD"] = write
    asyncio.get_event_loop_policy()  # as warden.start() does before the baseline
    if mode == "cells":
        steps = [(kind, compile(warden.stub(warden.RUN, what) if kind == "cell" else what,
                                f"/answer/{i}.py", "exec")) for i, (kind, what) in enumerate(STEPS)]
        hook, _ = warden._warden(KEY, write, CELLS, [c for c in CELLS if c.startswith("test-")], [])
        sys.addaudithook(hook)
        sys.audit(warden.BASELINE)
        return print(json.dumps(run_steps(steps, shell, read)))
    snippets = compiled(ATTACKS if mode == "attacks" else ORDINARY)
    hook, _ = warden._warden(KEY, write, {}, [], [])
    sys.addaudithook(hook)
    sys.audit(warden.BASELINE)
    results, records = {}, warden.Records(KEY)
    drain(read, records)
    for name, code in snippets.items():
        try:
            exec(code, shell.user_ns)
            outcome = "ran"
        except RuntimeError as exc:
            outcome = "refused" if "the grader does not allow" in str(exc) or "baseline" in str(exc) else repr(exc)
        except Exception as exc:  # noqa: BLE001 - reported as it is
            outcome = f"{type(exc).__name__}: {exc}"
        found, problems = drain(read, records)
        results[name] = {"outcome": outcome, "records": [list(r) for r in found], "problems": problems}
    print(json.dumps(results))


def run_steps(steps, shell, read) -> list[dict]:
    records, results = warden.Records(KEY), []
    drain(read, records)
    for kind, code in steps:
        try:
            exec(code, shell.user_ns)
            outcome = "ran"
        except Exception as exc:  # noqa: BLE001 - reported as it is
            outcome = f"{type(exc).__name__}: {exc}"
        found, problems = drain(read, records)
        results.append({"outcome": outcome, "records": [list(r) for r in found], "problems": problems})
    return results


def drain(read: int, records: warden.Records):
    data = b""
    while True:
        try:
            chunk = os.read(read, 65536)
        except BlockingIOError:
            break
        if not chunk:
            break
        data += chunk
    return records.feed(data)


if __name__ == "__main__":
    main(sys.argv[1])
