"""Hints for a person: what an answer cell uses that no exercise needs.

``static_flags`` reads an answer cell's source and names what no exercise needs
(``get_ipython``, hooks, ``sys.modules`` surgery, ``ctypes``, the garbage collector's object
lists, frames, ``exec``, attributes looked up by a computed name...). It is a hint for the
person who reviews a flagged submission, nothing more: it never costs a mark, and no
protection of the grade relies on it (the grader's warden, ``autograder.grading.warden``,
refuses and records what matters, however the code spells it). ``imported_modules`` lists the
course modules a notebook's locked cells import, so the warden fingerprints them from the start.
"""


from __future__ import annotations

import ast
import re
from collections.abc import Iterable

# The course modules a notebook's locked cells import: imported when the kernel starts, so each
# is fingerprinted before learner code could replace anything in it.
_COURSE_IMPORT = re.compile(
    r"^\s*(?:import\s+((?:autograder|looptime|aiohttp)[\w.]*)"
    r"|from\s+((?:autograder|looptime|aiohttp)[\w.]*)\s+import\s+(\([\w\s,]+\)|[\w \t,]+))", re.M)


def imported_modules(sources: Iterable[str]) -> list[str]:
    found = set()
    for source in sources:
        for module, package, names in _COURSE_IMPORT.findall(source):
            found.add(module or package)
            if package == "autograder":  # from autograder import vtime, probes
                found.update(f"autograder.{n.split()[0]}" for n in names.strip("()").split(",") if n.strip())
    return sorted(found)


# Static check of answer cells -------------------------------------------------------------

# Names that no exercise needs, whatever they are called on.
_SUSPECT_NAMES = {
    "get_ipython": "uses get_ipython (the kernel's shell)",
    "_getframe": "reads interpreter frames",
    "currentframe": "reads interpreter frames",
    "settrace": "installs a tracer",
    "setprofile": "installs a profiler",
    "f_back": "walks interpreter frames",
    "f_globals": "reads another frame's globals",
    "f_locals": "reads another frame's locals",
    "tb_frame": "walks interpreter frames",
    "gi_frame": "walks interpreter frames",
    "cr_frame": "walks interpreter frames",
    "ag_frame": "walks interpreter frames",
    "__subclasses__": "walks the class hierarchy",
    "__code__": "rewrites function code",
    "__builtins__": "touches the builtins namespace",
    "__globals__": "reaches into a function's globals",
    "ast_transformers": "adds an AST transformer",
    "input_transformers_cleanup": "adds an input transformer",
    "input_transformers_post": "adds an input transformer",
    "input_transformer_manager": "touches IPython's input transformers",
    "register_magic_function": "defines magics",
    "set_custom_exc": "replaces IPython's exception handling",
    "run_cell": "touches IPython's run_cell",
    "filterwarnings": "changes the warning filters",
    "simplefilter": "changes the warning filters",
    "resetwarnings": "changes the warning filters",
    "showwarning": "replaces how warnings are shown",
    "addaudithook": "installs an audit hook",
}
# Builtins called by name (as attributes, re.compile and friends are fine).
_SUSPECT_CALLS = {"exec": "runs code from a string (exec)", "eval": "runs code from a string (eval)",
                  "compile": "compiles code from a string", "__import__": "imports by name",
                  "setattr": "sets attributes by name (setattr)", "globals": "reaches into globals()",
                  "getattr": "", "delattr": "deletes attributes by name (delattr)"}
# sys attributes that decide how a cell's outcome is seen.
_SUSPECT_SYS = {"modules", "stderr", "displayhook", "excepthook", "meta_path", "path_hooks",
                "path", "stdout", "__stderr__", "__stdout__"}
_SUSPECT_MODULES = {"ctypes", "gc", "importlib", "builtins", "IPython", "ipykernel", "nbgrader",
                    "sqlite3", "marshal", "tracemalloc", "atexit", "nbclient", "jupyter_client",
                    "zmq"}


def static_flags(source: str) -> list[str]:
    """What an answer cell uses that no exercise needs: reasons to look, not to fail."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []  # IPython syntax (magics) or a broken cell: the tests will say
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found.update(f"imports {m}" for m in modules if m.split(".")[0] in _SUSPECT_MODULES)
        elif isinstance(node, ast.Name) and node.id in _SUSPECT_NAMES:
            found.add(_SUSPECT_NAMES[node.id])
        elif isinstance(node, ast.Attribute):
            if node.attr in _SUSPECT_NAMES:
                found.add(_SUSPECT_NAMES[node.attr])
            elif node.attr in _SUSPECT_SYS and getattr(node.value, "id", None) == "sys":
                found.add(f"uses sys.{node.attr}")
            elif node.attr == "register" and getattr(node.value, "attr", None) == "events":
                found.add("registers an IPython event hook")
            elif node.attr == "system" and getattr(node.value, "id", None) == "os":
                found.add("runs a shell command (os.system)")
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) in _SUSPECT_CALLS:
            if _SUSPECT_CALLS[node.func.id]:
                found.add(_SUSPECT_CALLS[node.func.id])
            if node.func.id in ("getattr", "setattr", "delattr") and len(node.args) > 1 \
                    and not isinstance(node.args[1], ast.Constant):
                found.add(f"looks an attribute up by a computed name ({node.func.id})")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if any(part in node.value for part in ("gradebook.db", "/source/", "../", "submitted/")):
                found.add(f"names a course file ({node.value[:40]!r})")
    return sorted(found)
