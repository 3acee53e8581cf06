"""``python -m autograder``: the instructor's commands over nbgrader.

    release [ASSIGNMENT ...]         generate the student versions into release/
    grade [ASSIGNMENT ...]           autograde submitted/ (each submission in a sandbox of its own,
                                     --workers at a time), write feedback/ and grades.csv
    check NOTEBOOK [--assignment A]  grade one notebook against the hidden tests, print a report;
                                     exit status 1 when a test fails or it cannot be graded
    report [ASSIGNMENT ...]          after grading: per test cell how many passed and the commonest
                                     failures, the scores; a page under reports/ (autograder.grading.report)
    mutants [ASSIGNMENT ...]         mutation testing: does every small change to a reference
                                     answer lose a mark? (autograder/grading/mutant_report.py)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from nbgrader.converters import Autograde
from tqdm import tqdm
from traitlets.config import Config

from autograder.grading import isolation, mutant_report, sandbox
from autograder.grading.check import RefusedUnsandboxed, check
from autograder.grading.course import Course, Report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--course", default=".", help="course directory (default: here)")
    commands = parser.add_subparsers(dest="command", required=True)
    release = commands.add_parser("release", help="generate the student versions")
    release.add_argument("assignments", nargs="*")
    grade = commands.add_parser("grade", help="autograde, give feedback, export grades.csv")
    grade.add_argument("assignments", nargs="*")
    grade.add_argument("--csv", default="grades.csv", help="where to export (in the course)")
    # A notebook's grading leaves its core idle part of the time (kernel start, waits), so one
    # worker more than the cores keeps them busy: 2.0x over serial with 3 workers on 2 cores,
    # 1.7x with 2 (BENCHMARKS.md).
    grade.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1,
                       help="submissions graded at once (default: the number of cores + 1)")
    grade.add_argument("--unsandboxed", action="store_true",
                       help="nbgrader's own autograde, kernels with the grader's rights (the old way)")
    chk = commands.add_parser("check", help="grade one notebook and print a report")
    chk.add_argument("notebook", type=Path)
    chk.add_argument("--assignment", help="default: the notebook's file name without .ipynb")
    chk.add_argument("--unsandboxed", action="store_true",
                     help="run it even as root where no sandbox can be built (only your own notebooks)")
    rep = commands.add_parser("report", help="a class report of graded assignments")
    rep.add_argument("assignments", nargs="*", help="names or prefixes (07); default: every graded one")
    mutant_report.add_arguments(commands.add_parser("mutants", help="mutation testing of the tests"))
    args = parser.parse_args(argv)

    try:
        if args.command == "mutants":
            return mutant_report.command(args.course, args)
        if args.command == "check":
            return _run_check(args.notebook, args.assignment or args.notebook.stem, args.course,
                              args.unsandboxed)
        course = Course(args.course)
        if args.command == "report":  # imported here: matplotlib costs every other command a second
            from autograder.grading import report as class_report
            return class_report.run(course, args.assignments)
        if args.command == "release":
            return _run_release(course, args.assignments)
        return _run_grade(course, args.assignments, args.csv, args.workers, args.unsandboxed)
    except (FileNotFoundError, KeyError, RuntimeError) as exc:
        print(f"error: {str(exc).strip(chr(39))}", file=sys.stderr)
        return 2


def _run_check(notebook: Path, assignment: str, course: str, unsandboxed: bool) -> int:
    why_not = sandbox.unavailable()
    where = "in a sandbox" if why_not is None else f"WITHOUT a sandbox ({why_not})"
    print(f"checking {notebook} against {assignment}'s tests, {where}", flush=True)
    try:
        checked = check(notebook, assignment, course, unsandboxed)
    except RefusedUnsandboxed as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    for line in checked.notes:
        print(f"note: {line}")
    for line in checked.flags:
        print(f"flagged for review: {line}")
    print(format_report(checked.report))
    report = checked.report
    return 0 if report.ok and report.score == report.max_score else 1


def _run_release(course: Course, names: list[str]) -> int:
    outcomes = course.release(names or None)
    for outcome in outcomes:
        print(f"{'released' if outcome.ok else 'FAILED  '} {outcome.name} {outcome.error}".rstrip())
    return 0 if all(o.ok for o in outcomes) else 1


def _run_grade(course: Course, names: list[str], csv_name: str, workers: int = 1,
               unsandboxed: bool = False) -> int:
    failures = 0
    if not unsandboxed and sandbox.unavailable():
        print(f"WARNING: kernels are NOT sandboxed ({sandbox.unavailable()}): submitted code can "
              "read and change everything this user can", file=sys.stderr)
    for assignment in names or course.assignments():
        students = course.students(assignment)
        if not students:
            print(f"{assignment}: no submissions")
            continue
        summary = Summary(course, assignment, len(students))
        try:
            if unsandboxed:
                graded = _grade_unsandboxed(course, assignment, students, summary)
            else:
                graded = isolation.autograde_all(course, assignment, students, workers if workers > 1 else 0,
                                                 on_done=summary.add, feedback=True)
        except isolation.UnknownAssignment as exc:
            summary.close()
            print(f"{assignment}: not graded - {exc}")
            failures += 1
            continue
        summary.close()
        failures += sum(not g.outcome.ok for g in graded)
    try:
        print(f"grades exported to {course.export(csv_name)}")
    except Exception as exc:  # noqa: BLE001 - say so; the gradebook and feedback are done
        print(f"grades.csv not written: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 1 if failures else 0


def _grade_unsandboxed(course: Course, assignment: str, students: list[str], summary) -> list:
    """nbgrader's own autograde and feedback, kernels with the grader's rights (the old way)."""
    plain = Config()
    plain.Autograde.autograde_preprocessors = Autograde.class_traits()["autograde_preprocessors"].make_dynamic_default()
    course = Course(course.root, plain)
    graded = [isolation.Graded(o) for o in course.autograde(assignment, students)]
    for g in graded:
        summary.add(g)
    feedback = course.feedback(assignment)
    if not feedback.ok:
        print(f"{assignment}: feedback failed - {feedback.error}")
    return graded


class Summary:
    """What grading one assignment shows while it runs, and the totals at the end.

    On a terminal: a progress bar with the count and the time left, and a line for each
    submission that needs a look. Otherwise (a log, CI): a line per submission.
    """

    LIMITS = {"CellTimeoutError": "stopped at the cell time limit",
              isolation.NOTEBOOK_TIME_LIMIT: "not run: the notebook time limit was spent",
              "FlaggedForReview": "scored 0: ran while the kernel was tampered with"}

    def __init__(self, course: Course, assignment: str, total: int) -> None:
        self.course, self.assignment = course, assignment
        self.bar = tqdm(total=total, unit="submission", file=sys.stdout,
                        disable=not sys.stdout.isatty(), desc=assignment)
        self.counts = {"graded": 0, "not graded": 0, "flagged": 0}
        self.limits: dict[str, list[str]] = {}

    def add(self, graded: isolation.Graded) -> None:
        name, lines = graded.outcome.name, []
        if graded.outcome.ok:
            report = self.course.report(self.assignment, name)
            self.counts["graded"] += 1
            head = f"{self.assignment} {name}: {report.score:g} / {report.max_score:g}"
            for label, kinds in report.stopped.items():
                for kind in kinds & self.LIMITS.keys():
                    self.limits.setdefault(kind, []).append(f"{name} {label}")
        else:
            self.counts["not graded"] += 1
            head = f"{self.assignment} {name}: NOT GRADED - {graded.outcome.error}"
        if graded.flags:
            self.counts["flagged"] += 1
            head += f"  FLAGGED FOR REVIEW ({len(graded.flags)} reasons, in flagged/{self.assignment}/{name}.txt)"
        lines.append(head)
        if graded.ignored:
            lines.append(f"  ignored what is not part of the assignment: {', '.join(graded.ignored)}")
        lines += [f"  note: {note}" for note in graded.notes]
        for line in lines:
            if self.bar.disable:
                print(line, flush=True)
            else:
                self.bar.write(line)
        self.bar.update()

    def close(self) -> None:
        self.bar.close()
        counts = ", ".join(f"{n} {what}" for what, n in self.counts.items() if n)
        print(f"{self.assignment}: {counts}")
        for kind, what in self.LIMITS.items():
            found = self.limits.get(kind, [])
            if found:
                print(f"  {len(found)} cells {what}: {', '.join(found[:6])}{' ...' if len(found) > 6 else ''}")


def format_report(report: Report) -> str:
    """One line per test cell in notebook order (ok or FAIL, points, why it failed), then the total."""
    if not report.ok:
        return f"not graded: {report.error}"
    width = max((len(cell.grade_id) for cell in report.cells), default=10)
    lines = []
    for cell in report.cells:
        mark = "ok  " if cell.score == cell.max_score else "FAIL"
        line = f"{mark} {cell.grade_id:<{width}}  {cell.score:g}/{cell.max_score:g}"
        lines.append(f"{line}  {cell.message}".rstrip())
    lines.append(f"total {report.score:g} / {report.max_score:g}")
    return "\n".join(lines)
