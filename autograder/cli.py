"""``python -m autograder``: the instructor's commands over nbgrader.

    release [ASSIGNMENT ...]         generate the student versions into release/
    grade [ASSIGNMENT ...]           autograde submitted/ (each submission in a sandbox of its own,
                                     --workers at a time), write feedback/ and grades.csv
    check NOTEBOOK [--assignment A]  grade one notebook against the hidden tests, print a report;
                                     exit status 1 when a test fails or it cannot be graded
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder import isolation, sandbox
from autograder.grading import Course, Report, check


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
    grade.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                       help="submissions graded at once (default: the number of cores)")
    grade.add_argument("--unsandboxed", action="store_true",
                       help="nbgrader's own autograde, kernels with the grader's rights (the old way)")
    chk = commands.add_parser("check", help="grade one notebook and print a report")
    chk.add_argument("notebook", type=Path)
    chk.add_argument("--assignment", help="default: the notebook's file name without .ipynb")
    args = parser.parse_args(argv)

    try:
        if args.command == "check":
            report = check(args.notebook, args.assignment or args.notebook.stem, args.course)
            print(format_report(report))
            return 0 if report.ok and report.score == report.max_score else 1
        course = Course(args.course)
        if args.command == "release":
            return _run_release(course, args.assignments)
        return _run_grade(course, args.assignments, args.csv, args.workers, args.unsandboxed)
    except (FileNotFoundError, KeyError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


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
        if unsandboxed:
            outcomes = course.autograde(assignment, students)
        else:
            graded = isolation.autograde_all(course, assignment, students, workers if workers > 1 else 0)
            outcomes = [g.outcome for g in graded]
            for g in graded:
                if g.ignored:
                    print(f"{assignment} {g.outcome.name}: ignored what is not part of the "
                          f"assignment: {', '.join(g.ignored)}")
        for outcome in outcomes:
            if outcome.ok:
                report = course.report(assignment, outcome.name)
                print(f"{assignment} {outcome.name}: {report.score:g} / {report.max_score:g}")
            else:
                failures += 1
                print(f"{assignment} {outcome.name}: NOT GRADED - {outcome.error}")
        feedback = course.feedback(assignment)
        if not feedback.ok:
            failures += 1
            print(f"{assignment}: feedback failed - {feedback.error}")
    print(f"grades exported to {course.export(csv_name)}")
    return 1 if failures else 0


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
