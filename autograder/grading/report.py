"""A class report of one graded assignment: what nbgrader's Formgrader does not show.

Per test cell, how many students passed it and the commonest ways it failed; the score
distribution; who was not graded. Read from the gradebook and the autograded notebooks only
(each student's cells through ``Course.report``), after ``make grade``. Shown as a table in
the terminal, and as one HTML page (pictures embedded, nothing loaded from the network)
under ``reports/``.
"""

from __future__ import annotations

import base64
import html
import io
import re
import shutil
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from matplotlib.figure import Figure
from nbgrader.api import Gradebook, MissingEntry

from autograder.grading.course import Course

NO_MESSAGE = "(no error shown: partial credit)"

# What differs between two runs of the same failure: object addresses, asyncio's task numbers.
_ADDRESS = re.compile(r" at 0x[0-9a-f]+")
_TASK_NUMBER = re.compile(r"\bTask-\d+\b")


def _same_for_everyone(message: str) -> str:
    """``message`` with what changes from run to run left out, so equal failures count as one."""
    return _TASK_NUMBER.sub("Task-…", _ADDRESS.sub("", message or ""))


@dataclass
class CellSummary:
    """One test cell across the class: full marks or not, and the failure messages counted."""

    grade_id: str
    max_score: float
    passed: int = 0
    graded: int = 0
    failures: Counter = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        return self.passed / self.graded if self.graded else 0.0


@dataclass
class ClassReport:
    assignment: str
    max_score: float
    cells: list[CellSummary]
    scores: dict[str, float]  # graded students' totals
    not_graded: list[str]  # in the gradebook with a submission, no autograded notebook
    no_submission: list[str]  # in the gradebook (a roster), nothing handed in

    @property
    def students(self) -> int:
        return len(self.scores) + len(self.not_graded) + len(self.no_submission)


def assignments(course: Course) -> list[str]:
    """The assignments the gradebook has submissions for."""
    with Gradebook(course.db_url) as gb:
        return [a.name for a in gb.assignments if a.submissions]


def resolve(course: Course, name: str) -> str:
    """``name`` itself, or the one assignment of the gradebook that it begins (``07``)."""
    with Gradebook(course.db_url) as gb:
        known = [a.name for a in gb.assignments]
    if name in known:
        return name
    matches = [a for a in known if a.startswith(name + "-") or a.startswith(name)]
    if len(matches) == 1:
        return matches[0]
    raise RuntimeError(f"the gradebook has no assignment {name!r}" + (
        f" (it could be any of {', '.join(matches)})" if matches else
        f" ({', '.join(known)}); grade it first: make grade" if known else
        "; release and grade it first: make release, make grade"))


def build(course: Course, assignment: str) -> ClassReport:
    with Gradebook(course.db_url) as gb:
        try:
            entry = gb.find_assignment(assignment)
        except MissingEntry:
            raise RuntimeError(f"the gradebook has no assignment {assignment!r}; release and grade it first") from None
        submitted = sorted(s.student.id for s in entry.submissions)
        roster = sorted(s.id for s in gb.students)
        max_score = entry.max_score
    cells: dict[str, CellSummary] = {}
    scores, not_graded = {}, []
    for student in submitted:
        report = course.report(assignment, student)
        if not report.ok:
            not_graded.append(student)
            continue
        scores[student] = report.score
        for cell in report.cells:
            summary = cells.setdefault(cell.grade_id, CellSummary(cell.grade_id, cell.max_score))
            summary.graded += 1
            if cell.score >= cell.max_score:
                summary.passed += 1
            else:
                summary.failures[_same_for_everyone(cell.message) or NO_MESSAGE] += 1
    order = _notebook_order(course, assignment, next(iter(scores), None))
    ordered = sorted(cells.values(), key=lambda c: (order.get(c.grade_id, len(order)), c.grade_id))
    no_submission = [s for s in roster if s not in submitted]
    return ClassReport(assignment, max_score, ordered, scores, not_graded, no_submission)


def _notebook_order(course: Course, assignment: str, student: str | None) -> dict[str, int]:
    """Test cells in the order the notebook shows them (the gradebook keeps no order)."""
    order: dict[str, int] = {}
    if student is None:
        return order
    for nb in course.autograded(assignment, student).values():
        for cell in nb.cells:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if grade_id:
                order.setdefault(grade_id, len(order))
    return order


def bins(report: ClassReport, count: int = 10) -> list[tuple[float, float, int]]:
    """The score distribution: ``count`` equal ranges over 0..max (the last one includes the
    maximum), with how many graded students fall in each."""
    top = report.max_score or 1
    width = top / count
    tallies = [0] * count
    for score in report.scores.values():
        tallies[min(int(score / width), count - 1)] += 1
    return [(i * width, (i + 1) * width, n) for i, n in enumerate(tallies)]


def format_table(report: ClassReport, top: int = 3, width: int | None = None) -> str:
    """The terminal's view: who was graded, one line per test cell, then the distribution.
    Lines are cut at ``width`` (default: a terminal's width; uncut into a file or a pipe)."""
    if width is None and sys.stdout.isatty():
        width = shutil.get_terminal_size().columns
    lines = [f"{report.assignment}: {report.students} students - {len(report.scores)} graded, "
             f"{len(report.not_graded)} not graded, {len(report.no_submission)} without a submission"]
    if report.not_graded:
        lines.append(f"  not graded: {', '.join(report.not_graded)}")
    if report.no_submission:
        lines.append(f"  no submission: {', '.join(report.no_submission)}")
    name_width = max([len(c.grade_id) for c in report.cells] + [len("test cell")])
    lines.append(f"{'test cell':<{name_width}}  {'passed':>12}  most common failures")
    for cell in report.cells:
        head = f"{cell.grade_id:<{name_width}}  {f'{cell.passed}/{cell.graded}':>7} {cell.rate:>4.0%}"
        failures = cell.failures.most_common(top) or [(0, "")]
        for i, (message, n) in enumerate(failures):
            text = f"{n:>3} x {message}" if n else ""
            prefix = head if i == 0 else " " * len(head)
            lines.append(_clip(f"{prefix}  {text}".rstrip(), width))
    return "\n".join(lines + distribution(report))


def distribution(report: ClassReport) -> list[str]:
    """The scores' summary line, then one bar of '#' per range of scores."""
    lines = [_summary(report)]
    most = max((n for _, _, n in bins(report)), default=0) or 1
    for low, high, n in bins(report):
        lines.append(f"  {low:>5.1f} - {high:<5.1f} {'#' * round(30 * n / most):<30} {n}")
    return lines


def _summary(report: ClassReport) -> str:
    values = list(report.scores.values())
    if not values:
        return f"scores (out of {report.max_score:g}): nobody graded"
    return (f"scores (out of {report.max_score:g}): mean {statistics.mean(values):.1f}, "
            f"median {statistics.median(values):g}, lowest {min(values):g}, highest {max(values):g}")


def _clip(text: str, width: int | None) -> str:
    return text if width is None or len(text) <= width else text[: width - 3] + "..."


def pass_rate_figure(report: ClassReport) -> Figure:
    """One horizontal bar per test cell, in notebook order: the share of graded students
    with full marks."""
    fig = Figure(figsize=(8, 0.3 * len(report.cells) + 1.2), layout="constrained")
    ax = fig.add_subplot()
    names = [c.grade_id for c in report.cells][::-1]
    rates = [100 * c.rate for c in report.cells][::-1]
    bars = ax.barh(names, rates, color=["#c44e52" if r < 50 else "#4c72b0" for r in rates])
    ax.bar_label(bars, labels=[f"{c.passed}/{c.graded}" for c in report.cells][::-1], padding=3, fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("students with full marks (%)")
    ax.set_title(f"{report.assignment}: pass rate per test cell ({len(report.scores)} graded)")
    ax.tick_params(axis="y", labelsize=8)
    return fig


def score_figure(report: ClassReport) -> Figure:
    fig = Figure(figsize=(8, 3.2), layout="constrained")
    ax = fig.add_subplot()
    parts = bins(report)
    ax.bar([low for low, _, _ in parts], [n for _, _, n in parts],
           width=[high - low for low, high, _ in parts], align="edge", edgecolor="white", color="#4c72b0")
    ax.set_xlim(0, report.max_score or 1)
    ax.set_xlabel(f"score (out of {report.max_score:g})")
    ax.set_ylabel("students")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(f"{report.assignment}: scores")
    return fig


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=100)
    return out.getvalue()


def write(report: ClassReport, folder: Path, top: int = 5) -> Path:
    """``folder/<assignment>.html``, one page with its pictures inside (data: URLs), and the
    pictures beside it as PNG files."""
    folder.mkdir(parents=True, exist_ok=True)
    pictures = {"pass-rate": _png(pass_rate_figure(report)), "scores": _png(score_figure(report))}
    for name, data in pictures.items():
        (folder / f"{report.assignment}-{name}.png").write_bytes(data)
    page = folder / f"{report.assignment}.html"
    page.write_text(_html(report, pictures, top), encoding="utf-8")
    return page


def _html(report: ClassReport, pictures: dict[str, bytes], top: int) -> str:
    e = html.escape
    rows = []
    for cell in report.cells:
        failures = "".join(f"<li><b>{n}</b> &times; <code>{e(message)}</code></li>"
                           for message, n in cell.failures.most_common(top))
        more = len(cell.failures) - top
        if more > 0:
            failures += f"<li>and {more} other messages</li>"
        rows.append(f"<tr><td><code>{e(cell.grade_id)}</code></td><td>{cell.max_score:g}</td>"
                    f"<td>{cell.passed} / {cell.graded}</td><td>{cell.rate:.0%}</td>"
                    f"<td><ul>{failures}</ul></td></tr>")
    images = "".join(f'<p><img alt="{name}" src="data:image/png;base64,{base64.b64encode(data).decode()}"></p>'
                     for name, data in pictures.items())
    who = "".join(f"<p>{label}: {e(', '.join(names))}</p>" for label, names in
                  (("Not graded", report.not_graded), ("No submission", report.no_submission)) if names)
    table = "\n".join(distribution(report)[1:])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(report.assignment)}: class report</title>
<style>
body {{ font-family: sans-serif; margin: 2em; max-width: 60em; }}
table {{ border-collapse: collapse; }} td, th {{ border-bottom: 1px solid #ddd; padding: 4px 8px;
text-align: left; vertical-align: top; }} ul {{ margin: 0; padding-left: 1.2em; }}
code {{ font-size: 90%; }} img {{ max-width: 100%; }}
</style></head><body>
<h1>{e(report.assignment)}: class report</h1>
<p>{report.students} students in the gradebook: {len(report.scores)} graded,
{len(report.not_graded)} not graded, {len(report.no_submission)} without a submission.</p>
{who}
<h2>Scores</h2>
<p>{e(_summary(report))}</p>
<pre>{e(table)}</pre>
{images}
<h2>Test cells</h2>
<table><tr><th>test cell</th><th>points</th><th>full marks</th><th>rate</th><th>most common failures</th></tr>
{''.join(rows)}
</table>
</body></html>
"""


def run(course: Course, names: list[str], folder: str | Path = "reports", top: int = 3) -> int:
    """``python -m autograder report``: print each assignment's table, write its page."""
    names = [resolve(course, n) for n in names] or assignments(course)
    if not names:
        print("no graded assignments in the gradebook: make grade first")
        return 1
    for name in names:
        report = build(course, name)
        print(format_table(report, top))
        print(f"report page: {write(report, course.root / folder)}\n")
    return 0
