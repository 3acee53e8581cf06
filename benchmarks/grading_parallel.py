"""Serial and parallel sandboxed autograding side by side, in one run.

    .venv/bin/python benchmarks/grading_parallel.py [--students 30] [--workers 2]

N identical submissions of 01-iterators' reference answers, graded three ways on copies
of one released course: nbgrader's own autograde (no sandbox, serial), the sandboxed path
serially, and the sandboxed path with a process pool. Prints the wall times, seconds per
notebook, the speed-up, and whether the exported grades.csv files are byte-identical.
Only the autograde step is timed (feedback and export are the same in every mode).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import submissions as subs  # noqa: E402
from autograder import isolation, sandbox  # noqa: E402
from autograder.grading.course import Course, scratch_course  # noqa: E402

ASSIGNMENT = "01-iterators"


def released_course(dest: Path, students: int) -> list[str]:
    course = scratch_course(ROOT, dest, [ASSIGNMENT])
    assert all(o.ok for o in course.release([ASSIGNMENT]))
    release = nbformat.read(dest / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    source = nbformat.read(dest / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    nb = subs.fill(release, subs.reference_answers(source))
    names = [f"student{i:02d}" for i in range(1, students + 1)]
    for name in names:
        subs.write(dest, ASSIGNMENT, name, nb)
    return names


def cpu_seconds() -> float:
    """CPU time of this process and of every child it has waited for (kernels included)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def grade(course: Course, names: list[str], mode: str, workers: int) -> tuple[float, float]:
    start, cpu = time.perf_counter(), cpu_seconds()
    if mode == "nbgrader":
        outcomes = course.autograde(ASSIGNMENT, names)
    else:
        outcomes = [g.outcome for g in isolation.autograde_all(course, ASSIGNMENT, names, workers)]
    elapsed, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    assert all(o.ok for o in outcomes), [o for o in outcomes if not o.ok]
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(f"sandbox: {sandbox.unavailable() or 'bubblewrap'}; load before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        names = released_course(Path(tmp) / "released", args.students)
        runs = [("nbgrader", 0), ("sandboxed serial", 0), (f"sandboxed {args.workers} workers", args.workers)]
        csvs, times = {}, {}
        for mode, workers in runs:
            root = Path(tmp) / mode.replace(" ", "-")
            shutil.copytree(Path(tmp) / "released", root)
            course = Course(root)
            times[mode], cpu = grade(course, names, mode, workers)
            csvs[mode] = course.export("grades.csv").read_bytes()
            # a pool's workers are the forkserver's children, not ours: their CPU is not seen
            shown = f"{cpu:.1f} s" if not workers else "not measured"
            print(f"| {mode} | {times[mode]:.1f} s | {times[mode] / len(names):.2f} s/notebook "
                  f"| CPU {shown} |")
        serial, parallel = times["sandboxed serial"], times[runs[2][0]]
        print(f"speed-up of {args.workers} workers over serial: {serial / parallel:.2f}x")
        print("grades.csv identical in all three modes:", len(set(csvs.values())) == 1)
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
