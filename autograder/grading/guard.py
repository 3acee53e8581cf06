"""What a submission may not change in its own kernel, and what its answers should not need.

Grading trusts the kernel's outputs only as far as the kernel itself is intact. Two checks,
both decided in the grader process:

- ``fingerprint`` is sent to the kernel as source text, before any learner code runs (the
  baseline) and again before every test cell. It records, by identity, what decides a test
  cell's outcome: IPython's execution machinery (its methods, hooks, input and AST
  transformers, display and exception hooks), ``sys.stdout``/``stderr``, tracing, the
  import system, the warning filters, and every function and class of ``asyncio``,
  ``autograder``, ``looptime``, ``aiohttp`` and the builtins. It also names any frame of
  learner code it finds itself running inside. ``changes`` compares two fingerprints.
- ``static_flags`` reads the answer cells for what no exercise needs (``get_ipython``,
  hooks, ``sys.modules`` surgery, ``ctypes``, the garbage collector's object lists, frames,
  ``exec``...). Those flag a submission for review; they never cost marks by themselves.

Neither is proof against every trick (the kernel runs the submission's code, and Python
lets code reach anything in its own process); they make the tricks that earn marks without
solving visible, so a person looks at them. The README's instructor section says what is
and is not covered.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# Modules whose functions and classes decide a test's outcome ("pkg.*": the package and all
# its modules). Kept to these: every entry costs time before each test cell.
WATCHED = ("builtins", "asyncio.*", "autograder.*", "looptime.*", "concurrent.futures.*", "time",
           "threading", "selectors", "socket", "warnings", "contextvars", "functools", "traceback",
           "aiohttp", "aiohttp.client", "aiohttp.client_reqrep", "aiohttp.web", "aiohttp.web_app",
           "aiohttp.web_runner", "aiohttp.web_request", "aiohttp.web_response", "aiohttp.streams",
           "IPython.core.interactiveshell", "IPython.core.displayhook", "IPython.core.displaypub",
           "IPython.core.events", "IPython.core.inputtransformer2", "IPython.core.formatters",
           "IPython.core.ultratb", "ipykernel.ipkernel", "ipykernel.kernelbase",
           "ipykernel.zmqshell", "ipykernel.displayhook", "ipykernel.iostream", "unittest.mock")


def fingerprint(watched, preload, ignore, full, known):  # runs in the kernel; imports all it needs
    import builtins
    import hashlib
    import importlib
    import json
    import sys
    import warnings

    from IPython.core.interactiveshell import InteractiveShell

    for name in preload:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    shell = InteractiveShell.instance()
    seen = {}

    def ident(obj):
        return f"{type(obj).__qualname__}@{id(obj):x}"

    def members(owner, prefix):
        for key, value in list(vars(owner).items()):
            if callable(value) or isinstance(value, (staticmethod, classmethod, property)):
                seen[f"{prefix}.{key}"] = ident(value)

    for name, module in sorted(sys.modules.items()):
        if module is None or not any(name == w or (w.endswith(".*") and (name + ".").startswith(w[:-1]))
                                     for w in watched):
            continue
        if known is not None and name not in known:  # imported since the baseline
            continue
        seen[f"module {name}"] = ident(module)
        members(module, name)
        for key, value in list(vars(module).items()):
            if isinstance(value, type) and value.__module__ == name:
                members(value, f"{name}.{key}")
    for cls in type(shell).__mro__:
        members(cls, f"shell class {cls.__qualname__}")
    seen["shell instance methods"] = sorted(k for k, v in vars(shell).items() if callable(v))
    for event, callbacks in shell.events.callbacks.items():
        seen[f"IPython {event} hooks"] = [ident(c) for c in callbacks]
    for attr in ("input_transformers_cleanup", "input_transformers_post", "ast_transformers",
                 "custom_exceptions", "displayhook", "display_pub", "display_formatter",
                 "CustomTB", "compile", "input_transformer_manager", "user_ns", "user_global_ns"):
        value = getattr(shell, attr, None)
        seen[f"IPython {attr}"] = [ident(v) for v in value] if isinstance(value, list) else ident(value)
    manager = shell.input_transformer_manager
    for attr in ("cleanup_transforms", "line_transforms", "token_transformers"):
        seen[f"IPython input_transformer_manager.{attr}"] = [ident(v) for v in getattr(manager, attr)]
    for attr in ("stdout", "stderr", "displayhook", "excepthook", "meta_path", "path_hooks",
                 "modules"):
        seen[f"sys.{attr}"] = ident(getattr(sys, attr))
    seen["sys.meta_path entries"] = [ident(f) for f in sys.meta_path]
    seen["sys.path"] = list(sys.path)
    seen["sys.gettrace()"] = ident(sys.gettrace())
    seen["sys.getprofile()"] = ident(sys.getprofile())
    seen["warnings.filters"] = repr(warnings.filters)
    seen["builtins namespace"] = ident(vars(builtins))
    # Learner code on the stack means the check itself ran inside a wrapper of theirs.
    frame, trusted = sys._getframe(1), (sys.prefix, sys.base_prefix, sys.exec_prefix)
    ours, wrappers = frame.f_code.co_filename, []
    while frame is not None:
        path = frame.f_code.co_filename
        if path != ours and not path.startswith(trusted) and not path.startswith("<frozen "):
            wrappers.append(f"{path}:{frame.f_code.co_name}")
        frame = frame.f_back
    kept = {key: value for key, value in seen.items() if key not in ignore}
    digest = hashlib.sha256(json.dumps(kept, sort_keys=True).encode()).hexdigest()
    return {"digest": digest, "around": wrappers, "seen": seen if full else None}


@dataclass(frozen=True)
class Probe:
    """One fingerprint request: code to run silently, the expression that reads its result."""

    code: str
    expression: str

    @property
    def user_expressions(self) -> dict[str, str]:
        """Read the result and remove it from the learner's namespace in the same request."""
        return {self.expression: f"globals().pop({self.expression!r})"}


def probe(modules: Iterable[str] = (), ignore: Iterable[str] = (), full: bool = False,
          known: Iterable[str] | None = None) -> Probe:
    """Code that fingerprints the kernel (importing ``modules`` first), under names learner
    code cannot guess; ``full`` asks for every entry, not just the digest; ``known`` limits
    it to the modules the baseline saw."""
    nonce = secrets.token_hex(8)
    func, result = f"_grader_fingerprint_{nonce}", f"_grader_result_{nonce}"
    source = inspect.getsource(fingerprint).replace("def fingerprint(", f"def {func}(", 1)
    known = None if known is None else sorted(known)
    call = f"{func}({WATCHED!r}, {tuple(modules)!r}, {sorted(ignore)!r}, {full!r}, {known!r})"
    code = f"{source}\n{result} = __import__('json').dumps({call})\ndel {func}"
    return Probe(code, result)


def read_reply(reply: dict | None, probe: Probe) -> dict | None:
    """The fingerprint in an execute reply, or None when the kernel did not give one."""
    content = reply.get("content", {}) if reply else {}
    value = content.get("user_expressions", {}).get(probe.expression, {})
    if content.get("status") != "ok" or value.get("status") != "ok":
        return None
    try:
        found = json.loads(ast.literal_eval(value["data"]["text/plain"]))
        return found if isinstance(found, dict) and "digest" in found else None
    except (KeyError, TypeError, ValueError, SyntaxError):
        return None


def changes(baseline: dict, now: dict | None, ignore: Iterable[str] = (), limit: int = 5) -> list[str]:
    """What differs between two full fingerprints, in words (``limit`` items, then a count)."""
    if now is None or now.get("seen") is None:
        return ["the kernel did not answer the grader's check"]
    found = [f"learner code wrapped the grader's check ({', '.join(now['around'])})"] if now["around"] else []
    before, after, ignore = baseline["seen"], now["seen"], set(ignore)
    for key in before.keys() - ignore:
        if after.get(key) != before[key]:
            found.append(f"{key} was removed" if key not in after else f"{key} was changed")
    if len(found) > limit:
        found[limit:] = [f"and {len(found) - limit} more"]
    return sorted(found[:limit]) + found[limit:]


# ipykernel swaps these on every request, depending on whether the request allows stdin.
VOLATILE = {"builtins.input", "builtins.raw_input", "sys.excepthook"}


class Watch:
    """The grader's side: a baseline of a fresh kernel, then a check before each test cell.

    ``ask(probe)`` runs a probe silently in the kernel and returns the execute reply (None
    when none came). Entries that differ between two fingerprints taken back to back, with
    no learner code in between, change by themselves (ipykernel swaps ``input`` on every
    request, for one) and are left out.
    """

    def __init__(self, ask: Callable[[Probe], dict | None]) -> None:
        self._ask = ask

    def _get(self, probe: Probe) -> dict | None:
        return read_reply(self._ask(probe), probe)

    def start(self, modules: Iterable[str]) -> None:
        first, second = self._get(probe(modules, full=True)), self._get(probe(full=True))
        if first is None or second is None:
            raise RuntimeError("the fresh kernel did not answer the grader's fingerprint")
        self.ignore = VOLATILE | {key for key in first["seen"].keys() | second["seen"].keys()
                                  if first["seen"].get(key) != second["seen"].get(key)}
        self.baseline = second
        self.known = {key.removeprefix("module ") for key in second["seen"] if key.startswith("module ")}
        digest = self._get(probe(ignore=self.ignore, known=self.known))
        if digest is None:
            raise RuntimeError("the fresh kernel did not answer the grader's fingerprint")
        self.digest = digest["digest"]

    def check(self) -> list[str]:
        """What learner code changed since the baseline, in words; [] when nothing."""
        now = self._get(probe(ignore=self.ignore, known=self.known))
        if now is not None and now["digest"] == self.digest and not now["around"]:
            return []
        detail = self._get(probe(ignore=self.ignore, full=True, known=self.known)) if now else None
        return changes(self.baseline, detail, self.ignore)


# The course modules a notebook's cells import: imported before the baseline, so each is
# fingerprinted before learner code could replace anything in it.
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
                  "setattr": "sets attributes by name (setattr)", "globals": "reaches into globals()"}
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
            found.add(_SUSPECT_CALLS[node.func.id])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if any(part in node.value for part in ("gradebook.db", "/source/", "../", "submitted/")):
                found.add(f"names a course file ({node.value[:40]!r})")
    return sorted(found)
