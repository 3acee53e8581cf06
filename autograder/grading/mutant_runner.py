"""Run notebook cells the way grading runs them, once per mutant, fast and in isolation.

A worker is a Python process that imports IPython and the modules the assignment's cells
import, once, and makes an IPython shell. For each job (the cells to run: setup and helper
cells, the answer cells with one of them mutated, the anchor's test cells) it forks a child
that runs the cells in that shell, like ipykernel does:

- each cell through ``InteractiveShell.run_cell`` (``run_cell_async`` for top-level
  ``await``), with history on, from inside a running asyncio event loop in the main thread;
- ``sys.stdout`` and ``sys.stderr`` replaced, and file descriptors 1 and 2 redirected, so
  whatever reaches stderr during a cell (a warning, a thread's or a child process's
  output) is that cell's stderr output;
- nbgrader's per-cell limit: SIGINT (a ``KeyboardInterrupt``) when a cell runs past it, as
  ``interrupt_on_timeout`` does, and the kernel is stopped if the cell goes on anyway;
  the whole run has the grader's notebook limit;
- the sandbox's resource limits, a fresh working folder with the assignment's data files
  and a fresh ``TMPDIR``.

A graded cell fails when it ends with an error or wrote anything to stderr, as it scores 0 in
nbgrader. The child's exit, and the kill of its process group, take every thread, task,
socket and child process of the mutant with them: the next mutant starts from the worker's
clean state. The worker itself never runs cell code, so a mutant cannot change it.

The orchestrator side is ``Pool``: ``workers`` such processes fed from a queue by threads.
Run ``python -m autograder.grading.mutant_runner`` only through ``Pool``.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from autograder.grading import warden

#: What a test cell's failure says when the runner stopped it, in grading's words.
STOPPED = "stopped at the {limit:g} s time limit"
NOT_STOPPED = "ran past the {limit:g} s time limit and did not stop when interrupted: the kernel was stopped"
DIED = "the kernel died while running this cell"
NOT_RUN = "not run: the kernel had died or was stopped"
NOTEBOOK_SPENT = "not run: the notebook time limit was spent"
# The sandbox's limits (autograder.grading.sandbox.Limits), for every process of a mutant.
ADDRESS_SPACE = 4096 << 20
FILE_SIZE = 64 << 20
CPU_SECONDS = 300
# After the interrupt, how long a cell gets to stop before its kernel is killed.
INTERRUPT_GRACE = 5.0
# How often the worker checks that a silent child is still alive, in seconds.
LIVENESS = 0.5


@dataclass(frozen=True)
class Cell:
    grade_id: str
    source: str
    graded: bool = False
    locked: bool = False  # the course's own cell: the grader's warden runs it, as in grading


@dataclass
class Outcome:
    """What the graded cells of one job did: ``failed`` maps grade ids to why (in order)."""

    failed: dict[str, str] = field(default_factory=dict)
    passed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str = ""  # the runner could not judge this job


# -- the orchestrator's side ---------------------------------------------------------------

class Pool:
    """Up to ``workers`` worker processes, kept until ``close()`` (or the end of a ``with``);
    ``run(jobs)`` yields ``(index, Outcome)`` as jobs finish. ``data``: a folder whose files,
    notebooks aside, every job finds in its working folder (what nbgrader copies beside the
    notebook)."""

    def __init__(self, workers: int, preload: Iterable[str] = (), data: Path | None = None,
                 cell_timeout: float = 10, notebook_timeout: float = 120,
                 interrupt_grace: float = INTERRUPT_GRACE) -> None:
        self.workers = max(1, workers)
        self.settings = {"preload": sorted(set(preload)), "data": str(data) if data else None,
                         "cell_timeout": cell_timeout, "notebook_timeout": notebook_timeout,
                         "interrupt_grace": interrupt_grace}
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._all: list[_Worker] = []

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for worker in self._all:
            worker.close()
        self._all.clear()

    def run(self, jobs: list[list[Cell]], stop_at_first: bool = True) -> Iterator[tuple[int, Outcome]]:
        todo: queue.SimpleQueue = queue.SimpleQueue()
        for item in enumerate(jobs):
            todo.put(item)
        done: queue.SimpleQueue = queue.SimpleQueue()
        threads = [threading.Thread(target=self._feed, args=(todo, done, stop_at_first), daemon=True)
                   for _ in range(min(self.workers, len(jobs)))]
        for thread in threads:
            thread.start()
        for _ in jobs:
            yield done.get()
        for thread in threads:
            thread.join()

    def _feed(self, todo: queue.SimpleQueue, done: queue.SimpleQueue, stop_at_first: bool) -> None:
        worker = None if self._idle.empty() else self._idle.get()
        try:
            while not todo.empty():
                index, cells = todo.get()
                for _attempt in range(2):  # a worker that died is replaced, and the job retried once
                    try:
                        worker = worker or self._start()
                        outcome = worker.ask(cells, stop_at_first)
                        break
                    except _WorkerFailed as exc:
                        if worker:
                            worker.close()
                        worker = None
                        outcome = Outcome(error=f"the mutation runner failed: {exc}")
                done.put((index, outcome))
        finally:
            if worker:
                self._idle.put(worker)

    def _start(self) -> _Worker:
        worker = _Worker(self.settings)
        self._all.append(worker)
        return worker


class _WorkerFailed(Exception):
    pass


class _Worker:
    def __init__(self, settings: dict) -> None:
        self.home = Path(tempfile.mkdtemp(prefix="mutants-"))
        settings = settings | {"home": str(self.home)}
        self.log = open(self.home / "worker.log", "w+b")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "autograder.grading.mutant_runner", json.dumps(settings)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, env=_environment(self.home),
            cwd=self.home, text=True, start_new_session=True)
        if self._read() != {"ready": True}:
            raise _WorkerFailed(f"the worker did not start: {self._log_tail()}")

    def ask(self, cells: list[Cell], stop_at_first: bool) -> Outcome:
        job = {"cells": [c.__dict__ for c in cells], "stop_at_first": stop_at_first}
        try:
            self.process.stdin.write(json.dumps(job) + "\n")
            self.process.stdin.flush()
        except OSError as exc:
            raise _WorkerFailed(f"the worker is gone ({exc}): {self._log_tail()}") from None
        reply = self._read()
        if reply is None:
            raise _WorkerFailed(f"the worker died: {self._log_tail()}")
        return Outcome(reply["failed"], reply["passed"], reply["seconds"], reply.get("error", ""))

    def _read(self) -> dict | None:
        line = self.process.stdout.readline()
        return json.loads(line) if line else None

    def _log_tail(self) -> str:
        self.log.flush()
        self.log.seek(0)
        lines = self.log.read().decode(errors="replace").strip().splitlines()
        return " | ".join(lines[-3:]) or "no output"

    def close(self) -> None:
        if self.log.closed:
            return
        try:
            self.process.stdin.close()
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        self.log.close()
        shutil.rmtree(self.home, ignore_errors=True)


def _environment(home: Path) -> dict[str, str]:
    """The sandbox's environment: only what it keeps of ours, and homes of the worker's own."""
    keep = ["LANG", "LC_ALL", "TZ", "MPLBACKEND", "NBGRADER_EXECUTION", "PYTHONHASHSEED"]
    env = {name: os.environ[name] for name in keep if name in os.environ}
    for name in ("home", "tmp"):
        (home / name).mkdir()
    return env | {"HOME": str(home / "home"), "TMPDIR": str(home / "tmp"),
                  "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
                  "MPLCONFIGDIR": str(home / "tmp" / "matplotlib"),
                  "IPYTHONDIR": str(home / "tmp" / "ipython")}


# -- the worker's side: no cell code ever runs in this process ------------------------------

def serve(settings: dict) -> None:
    import importlib
    import warnings

    protocol = os.fdopen(os.dup(1), "w")
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    for name in settings["preload"]:
        parent = sys.modules.get(name.rpartition(".")[0])
        if parent is not None and not hasattr(parent, "__path__"):
            continue  # a name from a module, not a module
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a cell that imports it will say why
            pass
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.hist_file = ":memory:"  # no history thread: the worker forks
    shell = InteractiveShell.instance(config=config)
    # Plain tracebacks: a failing cell's score never depends on how its traceback is drawn, and
    # ipykernel's "Context" tracebacks cost a test cell a quarter of a second each.
    shell.InteractiveTB.set_mode("Plain")
    # ipykernel's own filter, so the shells' warning filters are the same.
    warnings.filterwarnings("ignore", message=".*Trio's signal handling code might have collided.*",
                            category=RuntimeWarning)
    protocol.write(json.dumps({"ready": True}) + "\n")
    protocol.flush()
    for number, line in enumerate(sys.stdin):
        job = json.loads(line)
        reply = _run_job(shell, job, settings, Path(settings["home"]) / f"m{number}")
        protocol.write(json.dumps(reply) + "\n")
        protocol.flush()


def _run_job(shell, job: dict, settings: dict, place: Path) -> dict:
    import select
    import signal

    cells = [Cell(**c) for c in job["cells"]]
    limit, started = settings["cell_timeout"], time.monotonic()
    notebook_deadline = started + settings["notebook_timeout"]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: runs the cells, reports on write_end, never returns
        os.close(read_end)
        status = 0
        try:
            _child(shell, cells, job["stop_at_first"], settings, place, write_end)
        except BaseException:  # noqa: BLE001 - the report says which cell did not finish
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass  # the child did it already
    results: dict[int, str] = {}  # cell index: why it failed ("" when it passed)
    running, deadline, interrupted, buffer, ended, exited = None, None, None, b"", False, False
    while not ended:
        wait = LIVENESS if deadline is None else min(LIVENESS, max(0.0, deadline - time.monotonic()))
        if not select.select([read_end], [], [], wait)[0]:
            exited = exited or os.waitpid(pid, os.WNOHANG)[0] != 0
            if exited:  # dead, but a process it forked still holds the pipe
                break
            if deadline is None or time.monotonic() < deadline:
                continue
            if interrupted is None:  # the running cell is past its limit: nbclient interrupts it
                interrupted = running
                _signal(pid, signal.SIGINT)
                deadline = time.monotonic() + settings["interrupt_grace"]
                continue
            results[running] = NOT_STOPPED.format(limit=limit)
            running = None
            break
        chunk = os.read(read_end, 1 << 16)
        if not chunk:
            break
        *lines, buffer = (buffer + chunk).split(b"\n")
        for message in map(json.loads, lines):
            if "start" in message:
                running = message["start"]
                deadline = min(time.monotonic() + limit, notebook_deadline)
            elif "done" in message:  # an interrupted cell failed at the limit, whatever it raised
                results[running] = STOPPED.format(limit=limit) if interrupted == running else message["why"]
                running, deadline, interrupted = None, None, None
            elif "end" in message:
                ended = True
    if running is not None:
        results[running] = DIED
    os.close(read_end)
    _signal(pid, signal.SIGKILL, group=True)  # whatever the mutant left running
    if not exited:
        os.waitpid(pid, 0)
    shutil.rmtree(place, ignore_errors=True)
    for leftover in place.parent.glob(place.name + ".*"):
        shutil.rmtree(leftover, ignore_errors=True) if leftover.is_dir() else leftover.unlink()
    seconds = round(time.monotonic() - started, 3)
    if not results and not ended:
        return {"failed": {}, "passed": [], "seconds": seconds, "error": "the child failed before running a cell"}
    failed, passed = {}, []
    stopped_early = ended and job["stop_at_first"] and any(cells[i].graded and why for i, why in results.items())
    for index, cell in enumerate(cells):
        if not cell.graded or (index not in results and stopped_early):
            continue  # an earlier test cell failed: enough to kill the mutant
        why = results.get(index, NOTEBOOK_SPENT if ended else NOT_RUN)
        if why:
            failed[cell.grade_id] = why
        else:
            passed.append(cell.grade_id)
    return {"failed": failed, "passed": passed, "seconds": seconds}


def _signal(pid: int, signum: int, group: bool = False) -> None:
    try:
        os.killpg(pid, signum) if group else os.kill(pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


class _Capture:
    """``sys.stderr`` in the child: every write, from any thread, is kept for the current cell."""

    encoding = "utf-8"
    errors = "backslashreplace"

    def __init__(self, fileno: int) -> None:
        self._fileno, self.parts = fileno, []

    def write(self, text) -> int:
        self.parts.append(str(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fileno

    def take(self) -> str:
        parts, self.parts = self.parts, []
        return "".join(parts)


def _child(shell, cells: list[Cell], stop_at_first: bool, settings: dict, place: Path, report_fd: int) -> None:
    import asyncio
    import resource
    import signal

    os.setpgid(0, 0)
    for limit, value in ((resource.RLIMIT_AS, ADDRESS_SPACE), (resource.RLIMIT_FSIZE, FILE_SIZE),
                         (resource.RLIMIT_CPU, CPU_SECONDS), (resource.RLIMIT_CORE, 0)):
        try:
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):
            pass
    if settings["data"]:
        shutil.copytree(settings["data"], place, ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
    place.mkdir(exist_ok=True)
    os.chdir(place)
    tmp = place.parent / (place.name + ".tmp")
    tmp.mkdir()
    os.environ["TMPDIR"] = str(tmp)
    tempfile.tempdir = None
    errors = os.open(place.parent / (place.name + ".stderr"), os.O_RDWR | os.O_CREAT | os.O_TRUNC)
    os.dup2(errors, 2)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    sys.stdout = open(os.devnull, "w")
    sys.stderr = capture = _Capture(2)
    report = os.fdopen(report_fd, "w")
    in_cell = False

    def interrupt(signum, frame):
        if in_cell:
            raise KeyboardInterrupt
    signal.signal(signal.SIGINT, interrupt)

    def tell(message: dict) -> None:
        report.write(json.dumps(message) + "\n")
        report.flush()

    def stderr_since(position: int) -> tuple[str, int]:
        end = os.lseek(errors, 0, os.SEEK_END)
        os.lseek(errors, position, os.SEEK_SET)
        data = os.read(errors, end - position) if end > position else b""
        return capture.take() + data.decode(errors="replace"), end

    records = _install_warden(cells)

    async def run_cells() -> None:
        nonlocal in_cell
        if records:  # as in grading: the baseline is a cell's look around, with IPython's builtins in
            await _run_cell(shell, warden.stub(warden.BASELINE))
            records()
        position = 0
        for index, cell in enumerate(cells):
            tell({"start": index})
            in_cell = True
            try:  # a locked cell is run by the warden, from a stub, as grading runs it
                result = await _run_cell(shell, warden.stub(warden.RUN, cell.grade_id) if cell.locked
                                         else cell.source)
            finally:
                in_cell = False
            await asyncio.sleep(0)  # the kernel's loop runs between two requests
            error = result.error_before_exec or result.error_in_exec
            text, position = stderr_since(position)
            said = records() if records else {}
            why = ""
            if error is not None:
                why = f"{type(error).__name__}: {error}".strip().rstrip(":")
            elif text.strip():
                why = "wrote to stderr: " + text.strip().splitlines()[0]
            elif cell.locked and cell.graded and said.get(cell.grade_id) != "passed":
                why = said.get(cell.grade_id) or "the test did not run to its end"
            tell({"done": index, "why": why if cell.graded else ""})
            if why and cell.graded and stop_at_first:
                break

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.run_until_complete(run_cells())
    tell({"end": True})


def _install_warden(cells: list[Cell]):
    """The grader's warden with the job's locked cells (its baseline is the first cell); returns a function
    that reads what it recorded since the last call, {grade id: "passed" or why not}."""
    import secrets

    locked = [c for c in cells if c.locked]
    if not locked:
        return None
    key, (read_end, write_end) = secrets.token_bytes(32), os.pipe()
    os.set_blocking(read_end, False)
    hook, _ = warden._warden(key, write_end, {c.grade_id: c.source for c in locked},
                             [c.grade_id for c in locked if c.graded], [])
    sys.addaudithook(hook)
    channel = warden.Records(key)

    def records() -> dict[str, str]:
        data = b""
        while True:
            try:
                chunk = os.read(read_end, 1 << 16)
            except BlockingIOError:
                break
            if not chunk:
                break
            data += chunk
        found, _ = channel.feed(data)
        said = {}
        for kind, cell, detail in found:
            if kind == "passed":
                said.setdefault(cell, "passed")
            elif kind == "tampered":
                said[cell] = f"FlaggedForReview: {detail}"
        return said

    return records


async def _run_cell(shell, source: str):
    """As ipykernel's ``do_execute``: async only for cells that need it (top-level await)."""
    try:
        transformed, preprocessing = shell.transform_cell(source), None
    except Exception:  # noqa: BLE001 - run_cell reports it
        transformed, preprocessing = source, sys.exc_info()
    if shell.should_run_async(source, transformed_cell=transformed, preprocessing_exc_tuple=preprocessing):
        return await shell.run_cell_async(source, store_history=True, transformed_cell=transformed,
                                          preprocessing_exc_tuple=preprocessing)
    return shell.run_cell(source, store_history=True)


if __name__ == "__main__":
    serve(json.loads(sys.argv[1]))
