"""Feedback pages: the course's exporter makes the page nbconvert's HTML exporter makes, and
compiles its templates once per process (nbgrader makes a new exporter for every page)."""

from __future__ import annotations

import nbformat
from nbconvert.exporters import HTMLExporter
from traitlets.config import Config

from autograder.grading import feedback
from conftest import ROOT


def page(exporter_class, nb) -> str:
    config = Config()
    config.HTMLExporter.sanitize_html = True
    html, _ = exporter_class(config=config).from_notebook_node(nb)
    return html


def test_the_feedback_exporter_makes_nbconverts_page_and_compiles_its_templates_once(monkeypatch):
    nb = nbformat.read(ROOT / "source" / "01-iterators" / "01-iterators.ipynb", as_version=4)
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
    assert first == plain == second, "the feedback exporter's page differs from nbconvert's HTML exporter's"
    assert len(compiled) == first_compiles, (
        f"the second page compiled {compiled[first_compiles:]} again: expected every template from memory")
