"""The grader's warden inside a graded kernel: it runs the tests and vouches for their outcome.

A graded notebook's code and its tests share one process, so the outcome of a test cannot be
read from what that process shows (outputs, replies, tracebacks: an answer can forge any of
them). ``autograder.grading.kernel`` installs the warden before ipykernel starts, so before any
learner code, as an audit hook (PEP 578), which no code can remove or list:

- **It runs every locked cell itself** (setup, helpers and tests) from the sources the grader
  handed it at start (the gradebook's), when the grader's one-line stub asks for one. A test
  runs in a namespace of its own: builtins copied at start, the names the locked cells defined
  as they defined them, the answer's names beside them. An answer that rebinds ``len`` or
  ``Tap`` changes nothing a test sees.
- **It signs what happened** (an HMAC with a key only the grader and the warden know) on a
  pipe only the grader reads. A test passed only if the warden saw its code return, with the
  state below the same right before and right after it, in the same call. Nothing an answer
  prints, raises or suppresses can make such a record.
- **It refuses what no exercise needs, and records it**: a second audit hook, tracers and
  profilers, frames of other code, the garbage collector's object walks, ctypes, C extensions
  from outside the course's environment, code or functions built at run time, code that claims
  a trusted file name, writes to the code of functions and classes that are not the answer's,
  ``/proc`` (the process's own memory among it).
- **It fingerprints the state the tests rely on**: every function and class of the watched
  modules (the course's runtime, asyncio, looptime, aiohttp, the builtins...) and their
  closures, by identity; ``sys.modules`` entries; ``sys.stdout``/``stderr`` and the hooks Python
  calls by itself (display, exception, unraisable, signal handlers and timers, ``gc``
  callbacks, warning filters, the event loop policy); and the
  threads an answer started that are still running its code.

Every name the warden uses is bound when it is installed (closure variables), and its own
bookkeeping never calls a method an answer could have defined (exact types, identities): it
never looks anything up in the learner's namespace, in ``builtins`` or in a module's globals,
and no answer code runs while it keeps its books. What it cannot stop is in the README's
threat model.
"""

from __future__ import annotations

import json
import os
import sys

# The events the grader's stub cells raise.
BASELINE, RUN, FINAL = "autograder.baseline", "autograder.run", "autograder.final"
# The environment variables that hand the kernel its two file descriptors.
PAYLOAD_FD, REPORT_FD = "AUTOGRADER_WARDEN_PAYLOAD_FD", "AUTOGRADER_WARDEN_REPORT_FD"
CELL_FILE = "<graded cell {}>"  # the file name of a locked cell's code, as tracebacks show it
GRADER_MODULE = "__grader__"
# ipykernel swaps these on every request (depending on whether the request allows stdin).
VOLATILE = ("builtins.input", "builtins.raw_input", "sys.excepthook")  # __name__ in a test's namespace: classes it defines are not the answer's

# Modules whose functions and classes decide a test's outcome ("pkg.*": all its modules).
# The runtime is all of "autograder.*" but the grading machinery, which never runs in a kernel.
WATCHED = ("builtins", "asyncio.*", "autograder.*", "looptime.*", "concurrent.futures.*", "time",
           "threading", "selectors", "select", "socket", "signal", "warnings", "contextvars",
           "functools", "traceback", "logging", "inspect", "types", "collections",
           "collections.abc", "itertools", "operator", "copy", "json", "gc", "subprocess",
           "tempfile", "os", "posixpath", "io", "pytest", "_pytest.python_api", "_pytest.raises",
           "aiohttp", "aiohttp.client", "aiohttp.client_reqrep", "aiohttp.web", "aiohttp.web_app",
           "aiohttp.web_runner", "aiohttp.web_request", "aiohttp.web_response", "aiohttp.streams",
           "pyquery", "pyquery.pyquery", "ipykernel.iostream", "unittest.mock")


def stub(event: str, *args: str) -> str:
    """The code the grader sends in place of a locked cell: one call the warden answers."""
    call = ", ".join(repr(a) for a in (event, *args))
    return f'__import__("sys").audit({call})  # the grader runs this cell'


class Records:
    """The grader's side of the channel: checks each record's signature and order."""

    def __init__(self, key: bytes) -> None:
        self.key, self.next_seq, self.buffer = key, 0, b""

    def feed(self, data: bytes) -> tuple[list[tuple[str, str, str]], list[str]]:
        """The genuine records in ``data`` as (kind, cell, detail), and what was wrong."""
        import _hashlib
        import hmac

        self.buffer += data
        *lines, self.buffer = self.buffer.split(b"\n")
        records, problems = [], []
        for raw in lines:
            parts = raw.decode("utf-8", "replace").split("\t")
            mac = parts.pop() if len(parts) == 5 else ""
            good = _hashlib.hmac_digest(self.key, "\t".join(parts).encode(), "sha256").hex()
            if len(parts) != 4 or not hmac.compare_digest(good, mac):
                problems.append("something other than the grader's warden wrote on its channel")
                continue
            seq, kind, cell, detail = parts
            if seq != str(self.next_seq):
                problems.append(f"records of the grader's checks went missing (got {seq}, "
                                f"expected {self.next_seq}): something read the grader's channel")
            self.next_seq = int(seq) + 1
            records.append((kind, cell, detail))
        return records, problems


def start() -> None:
    """Install the warden from the payload the grader passed (``autograder.grading.kernel``)."""
    payload_fd, report_fd = int(os.environ.pop(PAYLOAD_FD)), int(os.environ.pop(REPORT_FD))
    with os.fdopen(payload_fd, "rb") as payload_file:
        payload = json.loads(payload_file.read())
    os.set_inheritable(report_fd, False)  # a program an answer starts never holds it
    for name in payload.get("preload", []):  # imported now: fingerprinted from the start
        try:
            __import__(name)
        except ImportError:
            pass
    import asyncio

    asyncio.get_event_loop_policy()  # made on first use: made now, before the baseline
    hook, _ = _warden(bytes.fromhex(payload["key"]), report_fd, payload["cells"],
                      payload.get("tests", []), payload.get("trusted", []))
    sys.addaudithook(hook)


def _warden(key, report_fd, sources, test_names, extra_trusted):  # noqa: C901 - one closure
    """The audit hook. Everything it calls is bound here, once, before any learner code runs."""
    import _hashlib
    import _thread
    import builtins
    import gc
    import importlib._bootstrap_external as external
    import inspect
    import itertools
    import pathlib
    import posixpath
    import signal
    import stat
    import traceback
    import types

    # Bound now. Below, no name is looked up at run time outside these closure cells.
    _write, _getpid, _stat, _getcwd, _fspath = os.write, os.getpid, os.stat, os.getcwd, os.fspath
    _s_isdir = stat.S_ISDIR
    _getframe, _current_frames = sys._getframe, sys._current_frames
    _get_ident, _hmac, _exec = _thread.get_ident, _hashlib.hmac_digest, builtins.exec
    _type, _str, _bytes, _int, _len, _list, _tuple, _dict, _set, _zip, _enumerate, _next = (
        type, str, bytes, int, len, list, tuple, dict, set, zip, enumerate, next)
    _isinstance, _sorted, _callable, _vars, _id = isinstance, sorted, callable, vars, id
    _RuntimeError, _BaseException, _ValueError, _OSError = RuntimeError, BaseException, ValueError, OSError
    _startswith, _endswith, _str_eq = str.startswith, str.endswith, str.__eq__
    _decode, _join, _split, _replace, _encode = bytes.decode, str.join, str.split, str.replace, str.encode
    _lstat, _readlink, _s_islnk, _reversed, _issubclass = os.lstat, os.readlink, stat.S_ISLNK, reversed, issubclass
    _type_name = type.__dict__["__name__"].__get__
    _type_module = type.__dict__["__module__"].__get__
    _type_qualname = type.__dict__["__qualname__"].__get__
    _function, _code_type = types.FunctionType, types.CodeType
    _descriptors = (staticmethod, classmethod, property)
    _paths = (pathlib.PurePosixPath, pathlib.PosixPath)
    _pid, _main = os.getpid(), _thread.get_ident()
    _counter = itertools.count()
    _pristine = dict(vars(builtins))  # what tests see as builtins, whatever an answer does later
    _missing = object()
    _sys, _gc, _gc_freeze = sys, gc, gc.freeze
    _RUN, _BASELINE, _FINAL, _GRADER_MODULE = RUN, BASELINE, FINAL, GRADER_MODULE
    VOLATILE_ = VOLATILE
    import _signal as c_signal
    import operator

    _getsignal, _getitimer = c_signal.getsignal, c_signal.getitimer
    _is, _is_not, _map, _all, _any, _repeat = operator.is_, operator.is_not, map, all, any, itertools.repeat
    _signals = tuple(sorted(int(s) for s in signal.valid_signals() if s not in (signal.SIGKILL, signal.SIGSTOP)))
    _itimers = (int(signal.ITIMER_REAL), int(signal.ITIMER_VIRTUAL), int(signal.ITIMER_PROF))
    _threading_file = sys.modules["threading"].__file__ if "threading" in sys.modules else ""
    _builtins_module = builtins

    roots = {posixpath.realpath(p) + "/" for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, *extra_trusted)}
    roots.add(posixpath.dirname(posixpath.dirname(posixpath.realpath(__file__))) + "/")  # autograder/
    trusted_roots = tuple(sorted(roots))
    code_of = {name: compile(source, CELL_FILE.format(name), "exec") for name, source in sources.items()}
    tests = set(test_names)
    grader_files = {code.co_filename for code in code_of.values()}
    import importlib._bootstrap as bootstrap

    import_exec = bootstrap._call_with_frames_removed.__code__  # where an import runs a module
    import threading

    thread_bootstrap = threading.Thread._bootstrap_inner.__code__
    compile_bytecode, source_get_code = external._compile_bytecode.__code__, external.SourceLoader.get_code.__code__
    # Functions that hand frames to whoever called them: that caller decides.
    proxies = {f.__code__ for f in (inspect.currentframe, inspect.stack, inspect.trace,
                                    inspect.getouterframes, inspect.getinnerframes,
                                    inspect.getgeneratorlocals, inspect.getcoroutinelocals,
                                    traceback.walk_stack, traceback.walk_tb, os.fwalk)}
    if hasattr(traceback, "_walk_tb_with_full_positions"):
        proxies.add(traceback._walk_tb_with_full_positions.__code__)
    try:
        import asyncio.base_tasks
        proxies.add(asyncio.base_tasks._task_get_stack.__code__)
    except (ImportError, AttributeError):
        pass
    trusted_cache = {}
    class_labels = set()
    busy = set()  # threads in the warden's bookkeeping, where no answer code ever runs
    said = {}
    state = {"running": None, "baseline": None, "user_ns": None}
    grader_names = {}

    def record(kind, cell, detail=""):
        if _getpid() != _pid:  # a forked child keeps the hook but never speaks for the kernel
            return
        for separator in ("\t", "\n", "\r"):
            detail = _replace(detail, separator, " ")
        line = _encode(_join("\t", (_str(_next(_counter)), kind, cell, detail[:600])))
        _write(report_fd, line + b"\t" + _encode(_hmac(key, line, "sha256").hex()) + b"\n")

    def trusted(code):
        known = trusted_cache.get(code)
        if known is None:
            name = code.co_filename
            known = _type(name) is _str and (_startswith(name, trusted_roots) or _startswith(name, "<frozen ")
                                             or name in grader_files)
            trusted_cache[code] = known
        return known

    def deciding(frame, skip_proxies=False):
        """The first frame outward that is neither the warden's nor (for frames) a proxy's."""
        while frame is not None:
            code = frame.f_code
            if code not in warden_codes and not (skip_proxies and code in proxies):
                return frame
            frame = frame.f_back
        return None

    def by_answer(skip_proxies=False):
        frame = deciding(_getframe(1), skip_proxies)
        return frame is not None and not trusted(frame.f_code)

    def answer_on_stack():
        """Answer code anywhere between the event and the grader's own code (when the warden runs
        a cell, the stub below it does not count). Library code calling on an answer's behalf
        (ctypes' wrappers, IPython's open()) then counts as the answer."""
        frame = _getframe(1)
        while frame is not None:
            code = frame.f_code
            if code in runners:
                return False
            if code not in warden_codes and not trusted(code):
                return True
            frame = frame.f_back
        return False

    def refuse(what):
        count = said.get(what, 0) + 1
        said[what] = count
        if count <= 3:  # a loop of refusals does not flood the grader
            record("refused", state["running"] or "-", what)
        raise _RuntimeError("the grader does not allow this in a graded notebook: " + what)

    def text(value):
        """An exact str or bytes (anything else is a kind of object the warden will not touch)."""
        if _type(value) is _str:
            return value
        if _type(value) is _bytes:
            return _decode(value, "utf-8", "surrogateescape")
        return None

    def absolute(value):
        """The real path an argument names, or None when it is not a plain path (or a file descriptor)."""
        path = text(value)
        kind = _type(value)
        if path is None and (kind is _paths[0] or kind is _paths[1]):
            path = _fspath(value)
        if path is None:
            return None
        if not _startswith(path, "/"):
            path = _getcwd() + "/" + path
        return path if _startswith(path, trusted_roots) else resolve(path)

    def resolve(path):
        """os.path.realpath of an absolute path, from C functions only (posixpath's code is Python)."""
        pending, done, hops = _list(_reversed(_split(path, "/"))), [], 0
        while pending:
            part = pending.pop()
            if part == "" or part == ".":
                continue
            if part == "..":
                if done:
                    done.pop()
                continue
            candidate = "/" + _join("/", done + [part])
            try:
                is_link = _s_islnk(_lstat(candidate).st_mode)
            except _OSError:
                is_link = False
            if not is_link or hops > 40:
                done.append(part)
                continue
            hops += 1
            target = _readlink(candidate)
            if _startswith(target, "/"):
                done = []
            pending.extend(_reversed(_split(target, "/")))
        return "/" + _join("/", done)

    def under_proc(path):
        return path == "/proc" or _startswith(path, "/proc/")

    def answer_type(cls):
        module = _type_module(cls)
        return _type(module) is _str and _str_eq(module, "__main__")

    def name_of(cls):
        name = _type_qualname(cls)
        return name if _type(name) is _str else "?"

    def on_open(value):
        path = absolute(value)
        if path is None:
            if _type(value) is not _int and by_answer():
                refuse("opens a path given as an unusual object")
            return
        if _startswith(path, trusted_roots):
            return
        # A file called mem is a process's memory (/proc/PID/mem), however the path reaches it
        # (a link, a folder's file descriptor, a relative path the warden cannot resolve).
        if _endswith(path, "/mem") or (under_proc(path) and answer_on_stack()):
            refuse("opens the process's own files in /proc")
        if by_answer(skip_proxies=True):
            try:
                is_folder = _s_isdir(_stat(path).st_mode)
            except _OSError:
                is_folder = False
            if is_folder:
                refuse("opens a folder as a file")

    def looks_trusted(code):
        name = code.co_filename
        return _type(name) is _str and (_startswith(name, trusted_roots) or _startswith(name, "<graded ")
                                        or _startswith(name, "<frozen "))

    def on_run_code(code):
        """Code with a trusted file name runs only from the import system or the warden."""
        if _type(code) is not _code_type or not looks_trusted(code):
            return
        innermost = _getframe(1)
        while innermost is not None and innermost.f_code in hook_codes:
            innermost = innermost.f_back
        if innermost is not None and (innermost.f_code in warden_codes or innermost.f_code is import_exec):
            return
        refuse("runs code that claims to be the course's or Python's")

    def on_marshal():
        frame = deciding(_getframe(1))
        if frame is None or frame.f_code is not compile_bytecode:
            refuse("loads code with marshal")
        caller = frame.f_back
        if caller is None or caller.f_code is not source_get_code:  # no source: where is it from?
            where = text(frame.f_locals.get("bytecode_path"))
            if where is None or not _startswith(resolve(where), trusted_roots):
                refuse("imports compiled code without its source")

    def on_setattr(target, name):
        kind = _type(target)
        if text(name) == "__class__":
            if not answer_type(kind) and by_answer():
                refuse("changes the class of an object of type " + name_of(kind))
        elif kind is _function:
            if trusted(target.__code__) and by_answer():
                refuse("changes the code or defaults of a function that is not the answer's")
        elif _issubclass(kind, _type) and not answer_type(target) and by_answer():
            refuse("changes a class that is not the answer's (" + name_of(target) + ")")

    def on_event(event, args):  # noqa: C901 - the policy, event by event
        if event == "sys.addaudithook":
            if answer_on_stack():
                refuse("installs an audit hook")
        elif event == "open":
            on_open(args[0])
        elif event == "object.__getattr__":
            if args[1] in ("tb_frame", "gi_frame", "cr_frame", "ag_frame") and by_answer(skip_proxies=True):
                refuse("reads interpreter frames (" + args[1] + ")")
        elif event == "sys._getframe":
            if by_answer(skip_proxies=True):
                refuse("reads interpreter frames (sys._getframe)")
        elif event in tracing:
            # threading.settrace() hooks reach sys.settrace from threading's own code, in each new
            # thread: no code of the course's kernel does that, so that counts as the answer's.
            frame = deciding(_getframe(1))
            if answer_on_stack() or (frame is not None and frame.f_code is thread_bootstrap):
                refuse("installs a tracer or profiler")
        elif event in ("sys._current_frames", "sys._current_exceptions", "gc.get_objects",
                       "gc.get_referrers", "gc.get_referents"):
            if answer_on_stack():
                refuse("walks the interpreter's objects (" + event + ")")
        elif _startswith(event, "ctypes."):
            if answer_on_stack():
                refuse("uses ctypes")
        elif event == "function.__new__":
            if answer_on_stack():
                refuse("builds a function from a code object")
            if _len(args) and _type(args[0]) is _code_type and looks_trusted(args[0]):
                refuse("builds a function from code that claims to be the course's or Python's")
        elif event in ("compile", "code.__new__"):
            if by_answer():
                refuse("builds code at run time (compile, or exec or eval of a string)")
        elif event == "exec":
            if _len(args):
                on_run_code(args[0])
        elif event == "marshal.loads":
            on_marshal()
        elif event == "import":
            filename = text(args[1]) if _len(args) > 1 else None
            if filename is not None and not _startswith(resolve(filename), trusted_roots):
                refuse("loads a C extension from outside the course's environment")
        elif event == "os.chdir":
            path = absolute(args[0])
            if path is not None and under_proc(path) and answer_on_stack():
                refuse("changes into /proc")
        elif event in ("object.__setattr__", "object.__delattr__"):
            on_setattr(args[0], args[1])

    tracing = {"sys.settrace", "sys.setprofile", "sys.monitoring.register_callback",
               "sys._settraceallthreads", "sys._setprofileallthreads"}
    events = tracing | {"sys.addaudithook", "open", "object.__getattr__", "sys._getframe", "sys._current_frames",
              "sys._current_exceptions", "gc.get_objects", "gc.get_referrers", "gc.get_referents",
              "function.__new__", "compile", "code.__new__", "exec", "marshal.loads", "import", "os.chdir",
              "object.__setattr__", "object.__delattr__"}

    def hook(event, args):
        __tracebackhide__ = True
        ident = _get_ident()
        if ident in busy:
            return
        if event in events or _startswith(event, "ctypes."):
            busy.add(ident)
            try:
                on_event(event, args)
            finally:
                busy.discard(ident)
        elif event == _RUN:
            run(args[0] if args else None)
        elif event == _BASELINE:
            busy.add(ident)  # no answer code has run yet: the warden's own look around
            try:
                take_baseline()
            finally:
                busy.discard(ident)
        elif event == _FINAL:
            busy.add(ident)
            try:
                record("final", "-", "; ".join(check() + threads()))
            finally:
                busy.discard(ident)

    # --- the state the tests rely on ---------------------------------------------------------

    def watched(name):
        if name == "autograder.grading" or name.startswith("autograder.grading."):
            return False
        for pattern in WATCHED:
            if name == pattern or (_endswith(pattern, ".*") and _startswith(name + ".", pattern[:-1])):
                return True
        return False

    def take_baseline():
        if state["baseline"] is not None:
            record("refused", state["running"] or "-", "asked for a second baseline")
            raise _RuntimeError("the grader's baseline is taken once")
        from IPython.core.interactiveshell import InteractiveShell

        shell = InteractiveShell._instance
        state["user_ns"] = shell.user_ns if shell is not None else {}
        state["baseline"] = snapshot()
        # The kernel's own objects (IPython, ipykernel, the modules) stay for the kernel's life:
        # the collector need not walk them again. A test's gc.collect() then costs a
        # thousandth of what it did (it walked some 100,000 objects each time); what any cell
        # makes from now on is collected as before.
        _gc_freeze()
        record("baseline", "-", "")

    def snapshot():
        """What the tests rely on, taken before any learner code (so plain lookups are fine here)."""
        modules, groups, cells, namespaces, classes, named = _sys.modules, [], [], [], [], []

        def group(label, owner, keys):
            keys = tuple(k for k in keys if label + "." + k not in VOLATILE_)
            groups.append((label, owner, keys, tuple(owner[k] for k in keys)))

        for name, module in sorted(list(modules.items()), key=lambda item: item[0]):
            if module is None or not watched(name):
                continue
            namespace = vars(module)
            named.append((name, module))
            namespaces.append((name, namespace, frozenset(namespace)))
            kept = [k for k, v in namespace.items() if callable(v) or isinstance(v, _descriptors)
                    or k in ("filters", "root", "_event_loop_policy", "_trace_hook", "_profile_hook")]
            group(name, namespace, kept)
            for key in kept:
                value = namespace[key]
                closure(cells, name + "." + key, value)
                if isinstance(value, type) and getattr(value, "__module__", None) == name:
                    members = gc.get_referents(vars(value))[0]  # the class's own dict, not a proxy of it
                    classes.append((name + "." + key, members, len(members)))
                    group(name + "." + key, members, list(members))
                    for attr, member in list(members.items()):
                        closure(cells, name + "." + key + "." + attr, member)
        group("sys", vars(sys), [a for a in ("stdout", "stderr", "__stdout__", "__stderr__", "displayhook",
                                           "excepthook", "unraisablehook", "breakpointhook", "meta_path",
                                           "path_hooks", "modules", "path") if a in vars(sys)])
        lists = [("sys.meta_path", sys.meta_path), ("sys.path_hooks", sys.path_hooks),
                 ("gc.callbacks", gc.callbacks)]
        warnings, logging = modules.get("warnings"), modules.get("logging")
        if warnings is not None:
            lists.append(("the warning filters", warnings.filters))
        if logging is not None:
            root = vars(logging)["root"]
            # Its handlers' list may grow (logging.basicConfig in an answer is honest): a handler
            # runs answer code only where an answer's function could run it anyway.
            group("the root logger", vars(root), ["handlers"])
        class_labels.update(label for label, _, _ in classes)
        return {"groups": groups, "cells": (tuple(c for c, _, _ in cells), tuple(v for _, v, _ in cells),
                                            tuple(label for _, _, label in cells)),
                "namespaces": namespaces, "classes": classes, "modules": named,
                "lists": [(label, value, tuple(value)) for label, value in lists],
                "signals": tuple(_getsignal(s) for s in _signals),
                "timers": tuple(_getitimer(w) for w in _itimers)}

    def closure(cells, label, value):
        target = value.__func__ if isinstance(value, (staticmethod, classmethod)) else value
        for cell in (target.__closure__ or ()) if type(target) is _function else ():
            try:
                cells.append((cell, cell.cell_contents, label + " (closure)"))
            except ValueError:  # an empty cell
                pass

    def names_only(namespace):
        """A private copy of a dict (one C-level step, whatever other threads do), or None when
        a key is not a plain name (a lookup could then run an answer's __eq__)."""
        copied = _dict(namespace)
        if _any(_map(_is_not, _map(_type, copied), _repeat(_str))):
            return None
        return copied

    def check():
        """What changed since the baseline, in words ([] when nothing)."""
        baseline = state["baseline"]
        if baseline is None:
            return ["the grader's baseline was never taken"]
        changed = []
        for label, owner, keys, values in baseline["groups"]:
            # A class's dict has only names as keys (type.__setattr__ makes them plain str).
            current = owner if label in class_labels else names_only(owner)
            if current is None:
                changed.append(label + " holds a key that is not a name")
                continue
            now = _tuple(_map(current.get, keys, _repeat(_missing)))
            if not _all(_map(_is, now, values)):
                changed += [label + "." + k + " was changed" for k, a, b in _zip(keys, now, values) if a is not b]
        contents = _tuple(_map(cell_value, baseline["cells"][0]))
        if not _all(_map(_is, contents, baseline["cells"][1])):
            changed += [label + " was changed" for label, a, b in _zip(baseline["cells"][2], contents,
                                                                       baseline["cells"][1]) if a is not b]
        for label, namespace, keys in baseline["namespaces"]:
            if _len(namespace) != _len(keys):
                current = names_only(namespace) or {}
                changed += [label + "." + k + " was added" for k in current
                            if k not in keys and (label == "builtins" or k in _pristine)]
        modules = names_only(_sys.modules)
        for name, module in baseline["modules"]:
            if modules is None or modules.get(name, _missing) is not module:
                changed.append("sys.modules[" + name + "] was replaced")
        for label, members, size in baseline["classes"]:
            if _len(members) != size:
                changed.append(label + " gained or lost a member")
        for label, value, items in baseline["lists"]:
            now = _tuple(value)
            if _len(now) != _len(items) or not _all(_map(_is, now, items)):
                changed.append(label + " was changed")
        user_builtins = copy_names(state["user_ns"]).get("__builtins__", _builtins_module)
        if user_builtins is not _builtins_module:
            changed.append("the notebook's __builtins__ was replaced")
        if not _all(_map(_is, _map(_getsignal, _signals), baseline["signals"])):
            changed.append("a signal handler was changed")
        if _tuple(_map(_getitimer, _itimers)) != baseline["timers"]:
            changed.append("an interval timer was set")
        if _len(changed) > 6:
            changed[6:] = ["and " + _str(_len(changed) - 6) + " more changes"]
        return changed

    def cell_value(cell):
        try:
            return cell.cell_contents
        except _ValueError:
            return _missing

    def threads():
        """The answer's own threads (started on its code) still running when a test begins."""
        found = []
        for ident, frame in _list(_current_frames().items()):
            if ident == _main:
                continue
            outermost = None
            while frame is not None:
                if frame.f_code.co_filename != _threading_file:
                    outermost = frame
                frame = frame.f_back
            if outermost is not None and not trusted(outermost.f_code):
                name = outermost.f_code.co_name
                found.append("a thread the answer started was still running " +
                             (name if _type(name) is _str else "?") + "() when a test began")
        return found[:2]

    # --- running the locked cells --------------------------------------------------------------

    def run(name):
        __tracebackhide__ = True
        ident = _get_ident()
        busy.add(ident)
        try:
            if text(name) is None or name not in code_of:
                record("refused", state["running"] or "-", "asked to run a cell the grader does not have")
                raise _RuntimeError("the grader has no such cell")
            if state["running"] is not None:
                record("refused", state["running"], "asked to run " + name + " inside another cell")
                raise _RuntimeError("a graded cell cannot run another one")
            user_ns = state["user_ns"]
            if user_ns is None:
                record("refused", name, "a cell ran before the grader's baseline")
                raise _RuntimeError("the grader's baseline was never taken")
            state["running"] = name
            if name in tests:
                run_test(name, user_ns, ident)
            else:
                run_locked(name, user_ns, ident)
        finally:
            state["running"] = None
            busy.discard(ident)

    def run_locked(name, user_ns, ident):
        """A setup or helper cell: in the answer's namespace, as the learner's kernel runs it."""
        __tracebackhide__ = True
        seen = copy_names(user_ns)
        busy.discard(ident)
        try:
            _exec(code_of[name], user_ns)
        finally:
            busy.add(ident)
            keep(user_ns, seen)
            record("ran", name)

    def run_test(name, user_ns, ident):
        __tracebackhide__ = True
        before = check()
        running = threads()
        if running:  # for a person to look at: a thread might change things while the test runs
            record("noted", name, "; ".join(running))
        namespace = copy_names(user_ns)
        for builtin in _pristine:  # an answer's global named like a builtin stays the answer's
            namespace.pop(builtin, None)
        namespace.update(grader_names)
        namespace["__builtins__"], namespace["__name__"] = _dict(_pristine), _GRADER_MODULE
        seen = _dict(namespace)
        busy.discard(ident)
        try:
            _exec(code_of[name], namespace)
        except _BaseException as exc:
            busy.add(ident)
            name_ = _type_name(_type(exc))
            record("failed", name, name_ if _type(name_) is _str else "?")
            raise
        finally:
            busy.add(ident)
            keep(namespace, seen)
            after = [change for change in check() if change not in before]
            if before or after:
                record("tampered", name, "; ".join(before + after))
        record("passed", name)

    def copy_names(namespace):
        """Its entries whose keys are plain names, into a dict of the warden's own (the copy is one
        C-level step, so another thread changing the dict meanwhile changes nothing here)."""
        copied = {}
        for key, value in _dict(namespace).items():
            if _type(key) is _str:
                copied[key] = value
        return copied

    def keep(namespace, seen):
        """Names a locked cell bound are the grader's from now on."""
        for key, value in copy_names(namespace).items():
            if key not in ("__builtins__", "__name__") and seen.get(key, _missing) is not value:
                grader_names[key] = value

    runners = {run.__code__, run_test.__code__, run_locked.__code__}
    hook_codes = {f.__code__ for f in (hook, on_event, by_answer, deciding, on_run_code, on_marshal,
                                       on_open, on_setattr, refuse, absolute, answer_on_stack)}
    warden_codes = hook_codes | {f.__code__ for f in (run, run_test, run_locked)}
    record("ready", "-")
    # The hook, and (for the warden's own tests only; start() drops it) a view of its state.
    return hook, {"check": check, "threads": threads, "state": state, "grader_names": grader_names}
