"""autograder.files: which threads open a file, and what a save left when it returned."""

import asyncio
import locale
import os
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from autograder import files, vtime

BOOK = [("第1章 风雪", "江湖。\nAt dawn."), ("第2章 客栈", "夜雨。")]
WANT = "## 第1章 风雪\n\n江湖。\nAt dawn.\n\n## 第2章 客栈\n\n夜雨。\n\n"


def markdown(chapters):
    return "".join(f"## {title}\n\n{text}\n\n" for title, text in chapters)


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


def test_a_file_renamed_onto_the_path_counts_as_opening_it(tmp_path):
    target = tmp_path / "book.md"

    def atomic_save():
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=tmp_path, delete=False) as out:
            out.write("saved")
        os.replace(out.name, target)

    with files.opened_by(target) as opened:
        worker = threading.Thread(target=atomic_save, name="saver")
        worker.start()
        worker.join()
        (tmp_path / "unrelated.md").write_text("x")
        os.replace(tmp_path / "unrelated.md", tmp_path / "elsewhere.md")
    assert opened == ["saver"] and target.read_text(encoding="utf-8") == "saved"


@pytest.mark.skipif(sys.platform == "darwin" or sys.flags.utf8_mode, reason="open() defaults to UTF-8 there")
def test_ascii_locale_makes_a_missing_encoding_fail(tmp_path):
    with files.ascii_locale() as encoding:
        with pytest.raises(UnicodeEncodeError):
            (tmp_path / "x.md").write_text("第1章")
        (tmp_path / "y.md").write_text("第1章", encoding="utf-8")
    assert "ascii" in encoding.lower() or "ansi" in encoding.lower()
    (tmp_path / "z.md").write_text("第1章")  # the locale is back


async def right(chapters, path):
    def write():
        with open(path, "w", encoding="utf-8") as out:
            out.write(markdown(chapters))
    await asyncio.to_thread(write)


async def atomic(chapters, path):
    def write():
        temporary = Path(path).with_suffix(".tmp")
        temporary.write_text(markdown(chapters), encoding="utf-8")
        os.replace(temporary, path)
    await asyncio.to_thread(write)


async def blocking(chapters, path):
    Path(path).write_text(markdown(chapters), encoding="utf-8")


async def not_awaited(chapters, path):
    asyncio.get_running_loop().run_in_executor(None, Path(path).write_text, markdown(chapters), "utf-8")


async def appends(chapters, path):
    def write():
        with open(path, "a", encoding="utf-8") as out:
            out.write(markdown(chapters))
    await asyncio.to_thread(write)


async def no_encoding(chapters, path):
    await asyncio.to_thread(Path(path).write_text, markdown(chapters))


async def gbk(chapters, path):
    await asyncio.to_thread(Path(path).write_text, markdown(chapters), "gbk")


@pytest.mark.parametrize("save_book", [right, atomic])
def test_save_of_a_right_answer(save_book):
    saved = files.save(save_book, BOOK, before="an older, longer book\n" * 20)
    assert saved.text == WANT and saved.at_return == WANT
    assert saved.opened and saved.loop_thread not in saved.opened


def test_save_of_wrong_answers():
    saved = files.save(blocking, BOOK)
    assert saved.text == WANT and saved.opened == [saved.loop_thread]
    saved = files.save(not_awaited, BOOK)
    assert saved.at_return is None and saved.text == WANT  # written, but after save_book returned
    assert files.save(appends, BOOK, before="old\n").text == "old\n" + WANT
    saved = files.save(gbk, BOOK)
    assert "utf-8" in saved.not_utf8 and "\ufffd" in saved.text
    assert files.save(right, BOOK).not_utf8 == ""


@pytest.mark.skipif(sys.platform == "darwin" or sys.flags.utf8_mode, reason="open() defaults to UTF-8 there")
def test_save_without_encoding_fails_and_says_why():
    if locale.getpreferredencoding(False).lower().replace("-", "") == "utf8":
        assert files.save(no_encoding, BOOK).text == WANT  # passes where the locale is UTF-8
    with pytest.raises(AssertionError, match="encoding='utf-8'"):
        files.save(no_encoding, BOOK, non_utf8_locale=True)
    assert files.save(right, BOOK, non_utf8_locale=True).text == WANT


def test_save_leaves_nothing_behind():
    before = set(Path(tempfile.gettempdir()).glob("book-*"))
    files.save(right, BOOK)
    assert set(Path(tempfile.gettempdir()).glob("book-*")) == before
    assert files._watched == {} and files._held == {} and files._opened_in == {}
