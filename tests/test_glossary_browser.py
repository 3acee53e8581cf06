"""Glossary links in a real browser: a click opens the lesson at the section, at once.

Headless Chromium (tests/browser.py) against ``make lab``'s server (tests/labserver.py), in a
copy of the course, clicks glossary links the way a learner does, into lessons not yet open.
The first click must leave the top of the lesson and bring the section within one screen
(JupyterLab is still drawing the lesson, so cells drawn after the jump can move it a few
lines, as the glossary says); a second click must put the heading at the top of the view.
The links sampled: one into this chapter's lesson, and one that lands a few lines short on
a first click (the cells above it shrink as they are drawn).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

pytest.importorskip("selenium", reason="selenium is not installed: run `make install` (pyproject.toml lists it)")

import browser  # noqa: E402
import labserver  # noqa: E402
import test_glossary as glossary  # noqa: E402
from conftest import ROOT  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts"
TERMS = ["speed-up", "retry with backoff"]  # rows of the glossary whose links are clicked
EXACT = 60  # px: a heading this close below the top of the view is "at the top" (cell padding)

pytestmark = [
    pytest.mark.xdist_group("browser"),
    pytest.mark.skipif(bool(browser.missing()), reason=f"BROWSER TESTS SKIPPED: {browser.missing()}"),
]


def glossary_links(terms):
    """``{term: (lesson file, cell-id fragment, id of the heading the link names)}``."""
    rows = {}
    for cell in nbformat.read(glossary.GLOSSARY, as_version=4).cells:
        for line in cell.source.splitlines():
            term = line.strip("| ").split(" | ")[0]
            if term in terms:
                [(target, text)] = glossary.links(line)
                lesson, _, fragment = target.partition("#")
                rows[term] = (lesson, fragment, glossary.heading_id(text))
    return [rows[term] for term in terms]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    course = tmp_path_factory.mktemp("glossary-course")
    for name in ("Makefile", "nbgrader_config.py"):
        shutil.copy(ROOT / name, course)
    shutil.copytree(ROOT / "notebooks", course / "notebooks")
    with labserver.running(course, tmp_path_factory.mktemp("glossary-lab")) as lab:
        yield lab


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    driver = browser.start(tmp_path_factory.mktemp("glossary-chromium"))
    yield driver
    driver.quit()


def test_a_glossary_link_opens_the_lesson_at_its_section(lab, driver):
    cells = len(nbformat.read(glossary.GLOSSARY, as_version=4).cells)
    with browser.screenshot_on_failure(driver, ARTIFACTS, "glossary", lab.log):
        browser.Notebook(driver, f"{lab.url('lab/tree/notebooks/glossary.ipynb')}?token={lab.token}", cells)
        for lesson, fragment, heading in glossary_links(TERMS):
            browser.click_link(driver, lesson, fragment)
            first = browser.settled(driver, lambda d: browser.heading_in_view(d, heading),
                                    f"{lesson} opened by its glossary link")
            assert first["scroll"] > 0 and abs(first["top"]) < first["height"], (
                f"first click on {lesson}#{fragment}: expected the section within one screen of the view, "
                f"got the heading {first['top']} px from its top (scrolled {first['scroll']} px, view {first['height']} px)")
            browser.show_tab(driver, "glossary.ipynb")
            browser.click_link(driver, lesson, fragment)
            again = browser.settled(driver, lambda d: browser.heading_in_view(d, heading),
                                    f"{lesson} after a second click")
            assert 0 <= again["top"] <= EXACT, (
                f"second click on {lesson}#{fragment}: expected the heading at the top of the view "
                f"(0-{EXACT} px), got it {again['top']} px from the top")
            browser.show_tab(driver, "glossary.ipynb")
