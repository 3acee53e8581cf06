"""The glossary: every link opens an existing lesson at the cell where its section begins.

A glossary link is ``NN-slug.ipynb#cell-id=<id>``. JupyterLab 4's ``Notebook.setFragment``
finds a ``cell-id=`` target in the notebook's model, so it works on the first click, while
the lesson is still being drawn; a heading fragment (``#Some-heading``, or ``#heading=…``)
is looked up among the cells already rendered, or among headings parsed lazily, and on a
first click finds nothing (JupyterLab 4.6: the lesson stays at its top). Whether the click
lands is tested in a real browser (tests/test_glossary_browser.py); here, that every link
names an existing cell whose headings include the link's text.

JupyterLab 4 gives each rendered Markdown heading the id ``textContent.replace(/ /g, '-')``
(``createHeaderId`` in ``@jupyterlab/rendermime``): the heading's text as displayed (backticks
and emphasis gone, entities decoded), each space replaced by ``-``, nothing else changed; the
link text is compared through that rule.
"""

from __future__ import annotations

import html
import re

import mistune
import nbformat
import pytest

from conftest import ROOT

NOTEBOOKS = ROOT / "notebooks"
GLOSSARY = NOTEBOOKS / "glossary.ipynb"
CELL_LINK = re.compile(r"cell-id=([A-Za-z0-9_-]+)")  # nbformat's cell id alphabet


def heading_id(markdown_heading: str) -> str:
    """The id JupyterLab 4 gives the heading ``## text`` (``text`` as written in Markdown)."""
    [rendered] = heading_ids("## " + markdown_heading)
    return rendered


def heading_ids(markdown: str) -> list[str]:
    """The ids of every heading in a Markdown cell, as JupyterLab renders them."""
    rendered = mistune.html(markdown)
    texts = [m.group(2) for m in re.finditer(r"<h([1-6])[^>]*>(.*?)</h\1>", rendered, re.DOTALL)]
    return [html.unescape(re.sub(r"<[^>]+>", "", text)).replace(" ", "-") for text in texts]


def notebook_heading_ids(path) -> list[str]:
    cells = nbformat.read(path, as_version=4).cells
    return [i for cell in cells if cell.cell_type == "markdown" for i in heading_ids(cell.source)]


def links(markdown: str) -> list[tuple[str, str]]:
    """``(target, text)`` of every inline link, with balanced parentheses in the target."""
    found = []
    for match in re.finditer(r"\[([^\]]*)\]\(", markdown):
        depth, end = 1, match.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(markdown[end], 0)
            end += 1
        found.append((markdown[match.end():end - 1], match.group(1)))
    return found


def glossary_sections() -> list[tuple[str, list[tuple[str, str]]]]:
    """``(section heading, [(target, text), ...])`` for each chapter section of the glossary."""
    cells = nbformat.read(GLOSSARY, as_version=4).cells
    return [(cell.source.splitlines()[0], links(cell.source)) for cell in cells
            if cell.source.startswith("## ")]


@pytest.mark.parametrize(("notebook", "written", "expected"), [
    ("08-threads-processes", "`run_in_executor`: the source article's demo, at a small scale",
     "run_in_executor:-the-source-article's-demo,-at-a-small-scale"),
    ("10-streams", "`write()` and `drain()`: back-pressure", "write()-and-drain():-back-pressure"),
    ("01-iterators", "What a `for` loop really does", "What-a-for-loop-really-does"),
    ("00-start-here", "What you'll learn", "What-you'll-learn"),
])
def test_the_id_rule_on_real_headings(notebook, written, expected):
    assert heading_id(written) == expected
    assert expected in notebook_heading_ids(NOTEBOOKS / f"{notebook}.ipynb")


def test_the_glossary_is_markdown_only_and_not_empty():
    cells = nbformat.read(GLOSSARY, as_version=4).cells
    assert all(cell.cell_type == "markdown" for cell in cells)
    assert sum(len(section_links) for _, section_links in glossary_sections()) >= 60


def target_cell(target: str):
    """``(notebook path, cell index, cell)`` a glossary link points at, or a reason it cannot."""
    name, _, fragment = target.partition("#")
    path = NOTEBOOKS / name
    if "/" in name or not path.is_file():
        return f"no notebook {name}"
    match = CELL_LINK.fullmatch(fragment)
    if not match:
        return f"#{fragment} is not a cell-id= link"
    cells = nbformat.read(path, as_version=4).cells
    found = [(i, cell) for i, cell in enumerate(cells) if cell.id == match.group(1)]
    if not found:
        return f"no cell with id {match.group(1)} in {name}"
    return path, *found[0]


def test_every_link_opens_an_existing_lesson_at_the_cell_of_its_section():
    broken = []
    for _, section_links in glossary_sections():
        for target, text in section_links:
            found = target_cell(target)
            if isinstance(found, str):
                broken.append(f"{target}: {found}")
                continue
            _, _, cell = found
            if cell.cell_type != "markdown" or heading_id(text) not in heading_ids(cell.source):
                broken.append(f"{target}: the cell has no heading {text!r}")
    assert not broken, "\n".join(broken)


def test_sections_follow_the_chapters_and_their_order():
    sections = glossary_sections()
    numbers = [heading.removeprefix("## ")[:2] for heading, _ in sections]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers), numbers
    for (heading, section_links), number in zip(sections, numbers):
        notebooks = {target.partition("#")[0] for target, _ in section_links}
        assert len(notebooks) == 1 and next(iter(notebooks)).startswith(number + "-"), heading
        positions = [target_cell(target)[1] for target, _ in section_links]
        assert positions == sorted(positions), f"{heading}: terms out of the chapter's order"


def test_every_row_has_a_term_its_chinese_and_a_meaning():
    cells = nbformat.read(GLOSSARY, as_version=4).cells
    rows = [line for cell in cells for line in cell.source.splitlines()
            if line.startswith("| ") and "---" not in line and not line.startswith("| English")]
    for row in rows:
        english, chinese, meaning, link = (part.strip() for part in row.strip("| ").split(" | "))
        assert english and meaning.endswith("."), row
        assert re.search(r"[\u4e00-\u9fff]", chinese) or chinese == english, row
        assert link.startswith("["), row
