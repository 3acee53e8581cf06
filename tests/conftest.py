"""Shared paths and helpers for the course's tests."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import nbclient
import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ASSIGNMENTS = sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir())
VARIANTS = Path(__file__).resolve().parent / "variants"

# Plots render off-screen in the kernels the tests start.
os.environ.setdefault("MPLBACKEND", "Agg")

# Seconds each slow xdist group took in a full run (2026-12-06, BENCHMARKS.md). xdist hands
# groups out in collection order, so the longest start first and short tests fill the end.
SLOW_GROUPS = {
    "hostile": 230, "12-capstone": 219, "10-streams": 150, "11-aiohttp": 142, "07-running-many": 142,
    "09-synchronisation": 137, "05-async-await": 133, "06-futures-tasks": 132, "04-event-loops": 130,
    "08-threads-processes": 128, "exchange": 121, "hub": 106, "grading-robustness": 90,
    "03-yield-from": 80, "01-iterators": 75, "02-generators": 74, "browser": 70, "report": 63,
    "workspace": 60, "isolation": 35, "mutants-check": 33,
}


def pytest_collection_modifyitems(items):
    def seconds(item) -> int:
        group = next((mark.args[0] for mark in item.iter_markers("xdist_group")), None)
        return SLOW_GROUPS.get(group, 0)
    items.sort(key=seconds, reverse=True)  # stable: the order within a group stays


def execute(path: Path, *, timeout: int = 120) -> nbformat.NotebookNode:
    """Run a notebook top to bottom on a fresh kernel, in its own folder; raise on an error."""
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    return nb


def tree_hash(*paths: Path) -> str:
    """One digest of the files under each path (a folder, or a single file), names included."""
    digest = hashlib.sha256()
    for top in paths:
        files = [top] if top.is_file() else top.rglob("*")
        for path in sorted(p for p in files if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def by_assignment(names):
    """Parametrize by assignment, keeping each assignment's tests on one xdist worker."""
    return [pytest.param(name, id=name, marks=pytest.mark.xdist_group(name)) for name in names]
