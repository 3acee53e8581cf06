"""autograder.gitclean: a saved lesson whose content git holds stops showing as modified."""

from __future__ import annotations

import subprocess
from pathlib import Path

from autograder.gitclean import refresh


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True).stdout


def test_a_same_content_save_is_recorded_and_a_real_change_is_not(tmp_path):
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "t@example.org")
    git(tmp_path, "config", "user.name", "t")
    # a filter that drops a line "output" stands in for nbstripout
    git(tmp_path, "config", "filter.strip.clean", "grep -v output || true")
    (tmp_path / ".gitattributes").write_text("*.txt filter=strip\n")
    lesson = tmp_path / "lesson.txt"
    lesson.write_text("code\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "lesson")
    lesson.write_text("code\noutput\n")  # saved with an output: the same content for git
    assert refresh(lesson), "a save that git holds already should be recorded"
    assert git(tmp_path, "status", "--porcelain") == ""
    lesson.write_text("code\nmore code\n")  # the learner's own change stays a change
    assert not refresh(lesson)
    assert git(tmp_path, "status", "--porcelain").strip() == "M lesson.txt"
