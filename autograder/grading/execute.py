"""nbgrader's Execute for untrusted notebooks: the kernel in the sandbox, the warden deciding.

``SandboxedExecute`` replaces nbgrader's ``Execute`` among the autograde preprocessors
(``nbgrader_config.py``), for ``make grade``, ``check``, ``nbgrader autograde`` and the
Formgrader's *Autograde* button alike:

- The kernel starts in the sandbox (``autograder.grading.sandbox``) with the warden
  (``autograder.grading.warden``) installed before anything else, and given the sources of the
  notebook's locked cells: setup, helpers and tests, as the gradebook has them.
- Every locked cell is run by the warden (the kernel gets a one-line stub in its place); a
  test cell passes only on the warden's signed record that its code returned with the kernel's
  state intact; whatever the kernel shows besides, an error or anything on stderr still fails
  it. A test whose record is missing fails and is flagged; a tampered state zeroes the test
  (``tampered_cells_score_zero``) and flags the submission; what the warden refused is
  flagged. A displayed value is never read as partial credit unless the cell's grade id is in
  ``partial_credit``.
- Cell metadata that changes how a cell runs (tags such as ``skip-execution`` and
  ``raises-exception``, ``execution`` and ``jupyter`` keys) is dropped; a locked cell keeps only
  its nbgrader metadata.
- Outputs are capped per cell and sanitised before anyone sees them: HTML and Markdown go
  through nh3, JavaScript, SVG and any other kind of output are replaced by a note, and so
  are the answer's Markdown cells.
- A wall-time limit per notebook: once it is spent, the remaining cells are not run.
"""

from __future__ import annotations

import json
import math
import re
import secrets
import time

import nh3
from nbformat import NotebookNode
from nbgrader.api import Gradebook
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer, List, Unicode, default

from autograder.grading import hints, warden
from autograder.grading.sandbox import SandboxedKernelManager

NOTEBOOK_TIME_LIMIT = "NotebookTimeLimit"
# Outputs shown as they are (text) or after sanitising (HTML, Markdown); anything else is
# replaced by a note, since it could run code in the browser of whoever opens the page.
SAFE_OUTPUTS = {"text/plain", "image/png", "image/jpeg", "image/gif", "text/latex", "application/json"}
SANITISED_OUTPUTS = {"text/html", "text/markdown"}
RUNS_CELLS = ("skip-execution", "raises-exception")  # tags nbclient acts on
TAG_LIKE = re.compile(r"<[!/?a-zA-Z]")


class SandboxedExecute(Execute):
    """nbgrader's Execute with the kernel in the sandbox and the warden deciding outcomes."""

    notebook_timeout = Integer(120, config=True, help="Seconds for the whole notebook.")
    notebook_cpu_seconds = Integer(120, config=True, help="CPU seconds for the whole notebook, its "
                                   "kernel and every process it starts together.")
    max_output_bytes = Integer(1 << 20, config=True, help="Output kept per cell, in bytes.")
    partial_credit = List(Unicode(), config=True,
                          help="Grade ids of test cells whose displayed number is partial credit.")
    tampered_cells_score_zero = Bool(True, config=True,
                                     help="A test cell that ran in a tampered kernel scores 0.")
    flags_file = Unicode("", config=True, help="Where to append flags (JSON lines).")

    def __init__(self, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(**kwargs)

    @default("shutdown_kernel")
    def _shutdown_at_once(self) -> str:
        # The warden's last check has run and every output is in: the sandbox is killed at once,
        # with no graceful shutdown to wait for (nor the notebook's atexit code to run).
        return "immediate"

    def preprocess(self, nb, resources, km=None):
        self._deadline = time.monotonic() + self.notebook_timeout
        self.timeout_func = self._cell_timeout
        self._timed_out_after = self.timeout
        self._output_bytes: dict[int, int] = {}
        self._notebook = resources.get("unique_key", "")
        self._started = False
        nb.metadata.pop("widgets", None)  # widget state loads scripts from a CDN when shown
        # The locked cells and their sources as the gradebook has them: the warden runs those,
        # never a cell's source as the notebook carries it.
        self._locked, self._tests = _gradebook_cells(resources.get("nbgrader", {}))
        for cell in nb.cells:
            if _reset_metadata(cell):
                self._flag(cell.metadata["nbgrader"].get("grade_id", "?"), [
                    "a locked cell was tagged to change how it runs (skip-execution, raises-exception)"])
            if cell.cell_type == "markdown" and not cell.metadata.get("nbgrader", {}).get("locked"):
                _sanitise_markdown(cell)
        key = secrets.token_bytes(32)
        self._records = warden.Records(key)
        self._payload = {
            "key": key.hex(), "cells": self._locked, "tests": sorted(self._tests),
            "preload": ["asyncio", "autograder.checks", "autograder.vtime",
                        *hints.imported_modules(self._locked.values())]}
        return super().preprocess(nb, resources, km=km)

    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        km.warden_payload = self._payload
        return km

    def _cell_timeout(self, cell) -> int:
        return max(1, min(self.timeout, math.ceil(self._deadline - time.monotonic())))

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if not self._started:  # before any cell: the warden's baseline
            self._start_warden()
        if time.monotonic() >= self._deadline:
            cell.outputs = [_error(NOTEBOOK_TIME_LIMIT, "not run",
                                   f"the notebook used up its {self.notebook_timeout} s")]
            return cell, resources
        used = self.km.cpu_seconds() if hasattr(self.km, "cpu_seconds") else None
        if used is not None and used >= self.notebook_cpu_seconds:
            cell.outputs = [_error(NOTEBOOK_TIME_LIMIT, "not run", f"the notebook and the programs it "
                                   f"started used up its {self.notebook_cpu_seconds} s of CPU time")]
            return cell, resources
        meta = cell.metadata.get("nbgrader", {})
        grade_id = meta.get("grade_id") if meta.get("locked") else None
        label = grade_id or meta.get("grade_id") or f"cell {index + 1}"
        if grade_id in self._locked:
            stub = NotebookNode(cell_type="code", source=warden.stub(warden.RUN, grade_id),
                                metadata={}, outputs=[], execution_count=None, id=cell.get("id", ""))
            self.execute_cell(stub, index, store_history=False)
            self.nb.cells[index] = cell  # nbclient put the stub in the cell's place
            cell.outputs = stub.outputs
        else:
            cell, resources = super().preprocess_cell(cell, resources, index)
        self._name_timeout(cell)
        records = self._drain(label)
        if grade_id in self._tests:
            self._judge(cell, grade_id, records)
        for output in cell.outputs:
            _sanitise_output(output)
        if index == self._last_code:
            self._finish()
        return cell, resources

    def _start_warden(self) -> None:
        self._started = True
        self._last_code = max(i for i, c in enumerate(self.nb.cells) if c.cell_type == "code")
        self._ask(warden.stub(warden.BASELINE))
        if hasattr(self.km, "seal"):
            self.km.seal()
        kinds = [kind for kind, _, _ in self._drain("before the first cell")]
        if kinds[:2] != ["ready", "baseline"]:
            raise RuntimeError("the graded kernel did not start the grader's warden "
                               f"(it said {kinds or 'nothing'})")

    def _finish(self) -> None:
        self._ask(warden.stub(warden.FINAL))
        records = self._drain("at the end")
        final = [detail for kind, _, detail in records if kind == "final"]
        if not final:
            self._flag("at the end", ["the grader's last check did not run"])
        elif final[0]:
            self._flag("at the end", final[0].split("; "))

    def _ask(self, code: str) -> None:
        msg_id = self.kc.execute(code, silent=True, store_history=False)
        self.wait_for_reply(msg_id)

    def _drain(self, label: str) -> list[tuple[str, str, str]]:
        """The warden's records since the last look; flags what they say was refused."""
        records, problems = self._records.feed(self.km.read_warden())
        if problems:
            self._flag(label, sorted(set(problems)))
        for kind, cell, detail in records:
            if kind == "refused":
                self._flag(label, [f"the grader refused what it {detail}"])
            elif kind == "noted":
                self._flag(label, [detail])
            elif kind in ("passed", "failed", "ran", "tampered") and cell != label:
                self._flag(label, [f"the notebook's own code ran the grader's cell {cell}"])
        return [r for r in records if r[1] == label or r[0] not in ("passed", "failed", "ran", "tampered")]

    async def _async_handle_timeout(self, timeout, cell=None):
        self._timed_out_after = timeout
        return await super()._async_handle_timeout(timeout, cell)

    def _name_timeout(self, cell) -> None:
        """A cell stopped at its time limit says so first (the interrupt shows up as a
        KeyboardInterrupt before nbgrader's CellTimeoutError)."""
        stopped = [o for o in cell.outputs if o.output_type == "error" and o.ename == "CellTimeoutError"]
        if stopped:
            cell.outputs = [o for o in cell.outputs if o not in stopped]
            cell.outputs.insert(0, _error("CellTimeoutError", f"stopped at the "
                                          f"{self._timed_out_after} s time limit", ""))

    def _judge(self, cell, grade_id: str, records) -> None:
        """The test's outcome from the warden's records, whatever the kernel displayed."""
        if grade_id not in self.partial_credit:
            for output in cell.outputs:
                if output.output_type == "execute_result":  # shown, never read as a score
                    output.output_type = "display_data"
                    output.pop("execution_count", None)
        kinds = {kind: detail for kind, cell_, detail in records if cell_ == grade_id}
        runs = [kind for kind, cell_, _ in records if cell_ == grade_id and kind in ("passed", "failed")]
        failed = any(o.output_type == "error" for o in cell.outputs)
        if len(runs) > 1:
            self._flag(grade_id, ["the test cell ran more than once"])
            kinds.pop("passed", None)
        if "tampered" in kinds:
            reasons = kinds["tampered"].split("; ")
            self._flag(grade_id, reasons)
            if self.tampered_cells_score_zero:
                cell.outputs.insert(0, _error(
                    "FlaggedForReview", "this test ran while the submission had changed what "
                    "grading relies on: " + "; ".join(reasons), ""))
        elif "passed" not in kinds and not failed:
            self._flag(grade_id, ["the test cell did not run as the grader sent it"])
            cell.outputs.append(_error("TestNotRun", "the grader's tests in this cell did not run "
                                       "to their end", ""))

    def _flag(self, cell: str, reasons: list[str]) -> None:
        if self.flags_file:
            with open(self.flags_file, "a") as out:
                out.write(json.dumps({"notebook": self._notebook, "cell": cell,
                                      "reasons": reasons}) + "\n")

    def output(self, outs, msg, display_id, cell_index):
        size = len(json.dumps(msg.get("content", {})))
        used = self._output_bytes.get(cell_index, 0)
        self._output_bytes[cell_index] = used + size
        if used + size <= self.max_output_bytes:
            return super().output(outs, msg, display_id, cell_index)
        if used <= self.max_output_bytes:  # the first message over the cap
            outs.append(NotebookNode(output_type="stream", name="stdout", text=(
                f"[the grader dropped this cell's output beyond {self.max_output_bytes} bytes]\n")))
        return None


def sandboxed_preprocessors() -> list:
    """nbgrader's autograde preprocessors with ``SandboxedExecute`` in place of ``Execute``."""
    from nbgrader.converters import Autograde

    default = Autograde.class_traits()["autograde_preprocessors"].make_dynamic_default()
    return [SandboxedExecute if p is Execute else p for p in default]


def _error(ename: str, evalue: str, traceback: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"{ename}: {evalue}" + (f" ({traceback})" if traceback else "")])


def _gradebook_cells(info: dict) -> tuple[dict[str, str], set[str]]:
    """{grade id: source} of the notebook's locked code cells, and which of them are tests."""
    if not info.get("db_url"):
        return {}, set()
    with Gradebook(info["db_url"]) as gb:
        nb = gb.find_notebook(info["notebook"], info["assignment"])
        locked = {c.name: c.source for c in nb.source_cells if c.locked and c.cell_type == "code"}
        tests = {c.name for c in nb.grade_cells if c.cell_type == "code"}
    return locked, tests & set(locked)


def _reset_metadata(cell) -> bool:
    """Only what the gradebook says decides how a cell runs; True when a locked cell was tagged
    to run otherwise (a learner's edit: nbgrader's releases carry no such tags)."""
    meta = cell.metadata
    if meta.get("nbgrader", {}).get("locked"):
        tags = meta.get("tags")
        for key in [k for k in meta if k != "nbgrader"]:
            del meta[key]
        return isinstance(tags, list) and any(tag in RUNS_CELLS for tag in tags)
    for key in ("execution", "jupyter"):
        meta.pop(key, None)
    if "tags" in meta:
        meta["tags"] = [tag for tag in meta["tags"] if tag not in RUNS_CELLS] if isinstance(meta["tags"], list) else []
    return False


def _sanitise_output(output) -> None:
    """Keep what cannot run code in a browser; clean HTML and Markdown; note what was dropped."""
    if output.get("output_type") not in ("display_data", "execute_result", "update_display_data"):
        return
    data, dropped = output.get("data", {}), []
    for mime in list(data):
        if mime in SANITISED_OUTPUTS:
            value = data[mime]
            data[mime] = nh3.clean("".join(value) if isinstance(value, list) else str(value))
        elif mime not in SAFE_OUTPUTS:
            dropped.append(mime)
            del data[mime]
    if dropped and "text/plain" not in data:
        data["text/plain"] = f"[the grader removed an output of kind {', '.join(sorted(dropped))}]"
    output.get("metadata", {}).pop("text/html", None)


def _sanitise_markdown(cell) -> None:
    """A Markdown cell that is not the course's: its raw HTML cleaned, script-like attachments gone."""
    if TAG_LIKE.search(cell.source):
        cell.source = nh3.clean(cell.source)
    for name, attachment in list(cell.get("attachments", {}).items()):
        for mime in [m for m in attachment if m not in SAFE_OUTPUTS]:
            del attachment[mime]
        if not attachment:
            del cell.attachments[name]
