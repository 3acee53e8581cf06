"""autograder.files: which thread opened a file."""

import asyncio
import threading
from pathlib import Path

from autograder import files, vtime


def test_it_names_the_thread_that_opens_the_file(tmp_path):
    target = tmp_path / "book.md"

    async def write_both_ways():
        with files.opened_by(target) as opened:
            target.write_text("on the loop")  # blocks the loop
            await asyncio.to_thread(Path(target).write_text, "in a worker")
            with open(str(target), encoding="utf-8") as f:
                f.read()
        return opened, threading.current_thread().name

    opened, loop_thread = vtime.run(write_both_ways).result
    assert opened[0] == loop_thread and opened[2] == loop_thread
    assert opened[1] != loop_thread and len(opened) == 3
    with files.opened_by(target) as later:
        (tmp_path / "other.md").write_text("not watched")
    assert later == []
