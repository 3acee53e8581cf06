"""A JupyterLab save hook that keeps a learner's clone of the course clean for git.

The course's notebooks are committed without outputs, and nbstripout's git filter (set up by
``make install``) strips them before git compares. But git first looks at a file's size and
time: a lesson saved with outputs shows as modified, and ``git pull`` refuses to update it,
although the filter would find nothing to commit. ``keep_git_clean`` (``make lab`` passes it
as ``FileContentsManager.post_save_hook``) tells git, after each save of a tracked notebook
whose content git already holds, to record the new size and time (``git add``, which the
filter makes a no-op for the content). A notebook the learner did change is left alone.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def keep_git_clean(model: dict, os_path: str, **_) -> None:
    if model.get("type") == "notebook":
        refresh(Path(os_path))


def refresh(path: Path) -> bool:
    """``git add path`` when git holds the same content (through its filter); True when done."""
    def git(*args: str) -> int:
        return subprocess.run(["git", *args, "--", path.name], cwd=path.parent,
                              capture_output=True).returncode
    if git("ls-files", "--error-unmatch") == 0 and git("diff", "--quiet") == 0:
        return git("add") == 0
    return False
