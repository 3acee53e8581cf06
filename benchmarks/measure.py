"""Measure the course's speed targets and print them as a Markdown table.

    .venv/bin/python benchmarks/measure.py [--students 3]

- wall time to execute each lesson on a fresh kernel, and all of them;
- wall time of each assignment's test cells with the reference answers (the virtual-time
  checks of chapters 05-07 are among them), as the kernel reports it;
- seconds per graded notebook: the reference answer autograded through nbgrader, per
  assignment, averaged over a few identical submissions;
- wall time of one virtual-time check (ten concurrent 2-second calls), median of 200;
- wall time and wake-ups of the no-spin check (``tcp.Session.idle_wakeups``) on a server
  that waits in select() and on one that spins;
- the chapter 11 reference crawler (``crawl_book``) on the local novel site, 24 chapters, at
  limits 1, 3 and 10: on virtual time (0.5 s pages) against the ideal
  ``latency + ceil(chapters / limit) × latency`` (table of contents, then full rounds), and
  on real time (0.05 s pages), where the gap to the ideal is aiohttp's own cost;
- peak memory (max RSS) of the kernels and of this process.

The numbers go into BENCHMARKS.md; they are targets to watch, not tests.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import resource
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nbclient
import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import submissions as subs  # noqa: E402
from autograder import probes, site, tcp, vtime  # noqa: E402
from test_tcp import read_write_spinner, selector_echo  # noqa: E402
from autograder.grading.course import scratch_course  # noqa: E402


def time_lessons() -> list[tuple[str, float]]:
    rows = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        nbclient.NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(path.parent)}}).execute()
        rows.append((path.stem, time.perf_counter() - start))
    return rows


def time_test_cells() -> list[tuple[str, int, float]]:
    rows = []
    for path in sorted((ROOT / "source").glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        client = nbclient.NotebookClient(
            nb, timeout=60, record_timing=True, resources={"metadata": {"path": str(path.parent)}}
        )
        client.execute()
        seconds = [
            (datetime.fromisoformat(cell.metadata.execution["shell.execute_reply"])
             - datetime.fromisoformat(cell.metadata.execution["iopub.execute_input"])).total_seconds()
            for cell in nb.cells
            if cell.metadata.get("nbgrader", {}).get("grade")
        ]
        rows.append((path.stem, len(seconds), sum(seconds)))
    return rows


def time_grading(students: int) -> list[tuple[str, float]]:
    rows = []
    for assignment in sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir()):
        with tempfile.TemporaryDirectory() as tmp:
            course = scratch_course(ROOT, tmp, [assignment])
            assert all(o.ok for o in course.release([assignment]))
            release = nbformat.read(course.root / "release" / assignment / f"{assignment}.ipynb", 4)
            source = nbformat.read(course.root / "source" / assignment / f"{assignment}.ipynb", 4)
            answered = subs.fill(release, subs.reference_answers(source))
            names = [f"student-{i}" for i in range(students)]
            for name in names:
                subs.write(course.root, assignment, name, answered)
            start = time.perf_counter()
            outcomes = course.autograde(assignment, names)
            elapsed = time.perf_counter() - start
            assert all(o.ok for o in outcomes), outcomes
            rows.append((assignment, elapsed / students))
    return rows


def time_vtime_check(repeats: int = 200) -> float:
    async def main():
        service = probes.Service(2.0)
        await asyncio.gather(*(service(i) for i in range(10)))

    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        assert vtime.run(main).elapsed == 2.0
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def time_idle_check() -> list[tuple[str, float, int]]:
    rows = []
    for name, server in [("waits in select()", selector_echo), ("spins (READ|WRITE)", read_write_spinner)]:
        with tcp.serve(server, 1) as session:
            client = session.connect()
            assert session.exchange(client, b"ping") == b"PING"
            start = time.perf_counter()
            wakeups = session.idle_wakeups()
            rows.append((name, time.perf_counter() - start, wakeups))
            assert session.finish()
    return rows


def reference_crawler():
    """crawl_book as the chapter 11 source answers it, with the imports its setup cell gives."""
    source = nbformat.read(ROOT / "source" / "11-aiohttp" / "11-aiohttp.ipynb", as_version=4)
    namespace: dict = {}
    exec("import asyncio, aiohttp\nfrom pyquery import PyQuery\nfrom urllib.parse import urljoin", namespace)
    exec(subs.reference_answers(source)["crawl_book"], namespace)
    return namespace["crawl_book"]


def time_crawl(chapters: int = 24) -> list[tuple[int, float, float, float, int, float, float]]:
    """Per limit: ideal and measured virtual seconds (0.5 s pages), real seconds of that run,
    the most requests in flight, and ideal and measured seconds on real time (0.05 s pages)."""
    crawl_book = reference_crawler()

    async def crawl(limit, latency):
        async with site.NovelSite(chapters, latency=latency) as novel:
            book = await crawl_book(novel.url, limit)
        assert len(book) == chapters
        return novel.max_in_flight

    rows = []
    for limit in (1, 3, 10):
        start = time.perf_counter()
        run = vtime.run(crawl, limit, 0.5)
        wall = time.perf_counter() - start
        start = time.perf_counter()
        vtime.run(crawl, limit, 0.05, virtual=False)
        real = time.perf_counter() - start
        ideal = 1 + math.ceil(chapters / limit)  # in pages: the table of contents, then rounds
        rows.append((limit, ideal * 0.5, run.elapsed, wall, run.result, ideal * 0.05, real))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=3)
    args = parser.parse_args()

    check = time_vtime_check()
    idle = time_idle_check()
    crawl = time_crawl()
    lessons = time_lessons()
    test_cells = time_test_cells()
    grading = time_grading(args.students)
    kernels = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    itself = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print("| measure | value |\n|---|---|")
    print(f"| one virtual-time check (10 × 2 s concurrent), median wall | {check * 1000:.1f} ms |")
    for name, seconds, wakeups in idle:
        print(f"| no-spin check of a server that {name}: wall time, wake-ups | {seconds:.3f} s, {wakeups} |")
    for limit, ideal, virtual, wall, most, real_ideal, real in crawl:
        print(f"| crawl_book, 24 chapters of 0.5 s, limit {limit}: virtual s (ideal), wall, most in flight "
              f"| {virtual:g} s ({ideal:g} s), {wall * 1000:.0f} ms, {most} |")
        print(f"| the same on real time, pages of 0.05 s, limit {limit}: wall (ideal) | {real:.2f} s ({real_ideal:.2f} s) |")
    for name, seconds in lessons:
        print(f"| lesson {name} executes | {seconds:.1f} s |")
    print(f"| all lessons, one after another | {sum(s for _, s in lessons):.1f} s |")
    for name, count, seconds in test_cells:
        print(f"| {name}: its {count} test cells, reference answers | {seconds * 1000:.0f} ms |")
    for name, seconds in grading:
        print(f"| autograde one {name} notebook | {seconds:.1f} s |")
    print(f"| peak memory of a kernel (max RSS) | {kernels:.0f} MiB |")
    print(f"| peak memory of the grading process (max RSS) | {itself:.0f} MiB |")


if __name__ == "__main__":
    main()
