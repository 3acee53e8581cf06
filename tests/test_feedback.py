"""Feedback pages: the course's exporter makes the document nbconvert's HTML exporter makes,
compiles its templates once per process (nbgrader makes a new exporter for every page), and
makes nbconvert's last touches (alternative text, keyboard focus) with lxml."""

from __future__ import annotations

import base64

import nbformat
from bs4 import BeautifulSoup
from nbconvert.exporters import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_output
from traitlets.config import Config

from autograder.grading import feedback
from conftest import ROOT

PIXEL = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000" "1f15c4890000000d49444154789c6360000002000100"
    "05fe02fea7d6a4e30000000049454e44ae426082")).decode()


def page(exporter_class, nb) -> str:
    config = Config()
    config.HTMLExporter.sanitize_html = True
    html, _ = exporter_class(config=config).from_notebook_node(nb)
    return html


def document(html: str) -> str:
    """The page as a tree, written out one way: two pages with the same tree are the same."""
    return str(BeautifulSoup(html, features="html.parser"))


def graded_looking_notebook():
    """What a feedback page shows: pictures with and without alternative text, an error with
    colours, output on both streams, HTML and markdown with raw HTML in them."""
    nb = nbformat.read(ROOT / "source" / "01-iterators" / "01-iterators.ipynb", as_version=4)
    nb.cells[1:1] = [
        new_markdown_cell('Some *notes* <img src="data:image/png;base64,' + PIXEL + '"> and <b>bold</b> é'),
        new_code_cell("plot()", outputs=[
            new_output("display_data", data={"image/png": PIXEL, "text/plain": "<Figure>"}),
            new_output("stream", name="stdout", text="line 1\nline <2> & 3\n"),
            new_output("stream", name="stderr", text="a warning\n"),
            new_output("display_data", data={"text/html": '<table><tr><td>1</td></tr></table><img src="x.png" alt="x">'}),
            new_output("error", ename="AssertionError", evalue="expected 3, got 4",
                       traceback=["\x1b[0;31mAssertionError\x1b[0m: expected 3, got 4"]),
        ]),
    ]
    return nb


def test_the_feedback_exporter_makes_nbconverts_document_and_compiles_its_templates_once(monkeypatch):
    nb = graded_looking_notebook()
    plain = page(HTMLExporter, nb)
    compiled = []
    original = feedback.jinja2.Environment.compile

    def counted(self, *args, **kwargs):
        compiled.append(args[1] if len(args) > 1 else kwargs.get("name"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(feedback.jinja2.Environment, "compile", counted)
    first = page(feedback.FeedbackExporter, nb)
    first_compiles = len(compiled)
    second = page(feedback.FeedbackExporter, nb)
    assert first == second, "two pages of the same notebook differ"
    assert document(first) == document(plain), "the feedback exporter's page differs from nbconvert's HTML exporter's"
    assert len(compiled) == first_compiles, (
        f"the second page compiled {compiled[first_compiles:]} again: expected every template from memory")


def test_the_last_touches_are_nbconverts():
    tree = BeautifulSoup(page(feedback.FeedbackExporter, graded_looking_notebook()), features="html.parser")
    images = tree.select("img")  # the picture output (nbconvert's sanitiser drops the other two)
    assert [i.get("alt") for i in images] == [feedback.NO_ALT], [i.attrs for i in images]
    wrappers = tree.select(".jp-Notebook div.jp-Cell-inputWrapper") + tree.select(".jp-Notebook div.jp-OutputArea-output")
    assert len(wrappers) > 10 and all(w.get("tabindex") == "0" for w in wrappers), [w.attrs for w in wrappers[:5]]
