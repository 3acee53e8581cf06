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
