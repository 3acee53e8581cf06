"""What a learner's feedback shows of a test cell: its visible part, its name and how it failed.

nbgrader's feedback shows every test cell as graded, hidden tests and tracebacks included,
which would hand the hidden tests to anyone who is graded once. ``HideHiddenTests`` (in
``GenerateFeedback.preprocessors``, see nbgrader_config.py) replaces the hidden region with a
one-line note, cuts each error to its last line (``AssertionError: expected 3, got 4``) and
each warning on stderr to its message lines. ``show_hidden_tests = True`` keeps them all.

``FeedbackExporter`` makes the pages (``GenerateFeedback.exporter_class``): nbconvert's HTML
exporter, whose templates a process compiles once instead of once per page, and whose last
touches to the page (alternative text for images, inputs and outputs reachable by keyboard) are
made with lxml instead of BeautifulSoup's pure-Python parser: the same document, 30 times
faster (a page holds some 300 kB of JupyterLab's style sheets, which BeautifulSoup parsed
in a fifth of a second).
"""

from __future__ import annotations

import jinja2
import lxml.etree
import lxml.html
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Unicode


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates, kept in memory for the life of the process. A bucket is
    found by template name and file and used only while its source is unchanged."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


def _class(name: str) -> str:
    """XPath: the element's class attribute lists ``name`` (CSS's ``.name``)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


NO_ALT = "No description has been provided for this image"  # nbconvert's words
_NO_ALT = lxml.etree.XPath("//img[not(@alt)]")
_FOCUSABLE = lxml.etree.XPath(f"//*[{_class('jp-Notebook')}]//div[{_class('jp-Cell-inputWrapper')} "
                              f"or {_class('jp-OutputArea-output')}]")
_PARSER = lxml.html.HTMLParser(huge_tree=True)  # no text node cut short, however long an output


class FeedbackExporter(HTMLExporter):
    """nbconvert's HTML exporter, quicker. nbgrader makes a new one for every feedback page,
    and each would compile the same templates again (a third of a page's time)."""

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = _COMPILED
        return environment

    def from_notebook_node(self, nb, resources=None, **kw):
        # HTMLExporter.from_notebook_node (nbconvert 7.17), with lxml where it uses BeautifulSoup;
        # tests/test_feedback.py checks that the document is the same as nbconvert's.
        info = nb.metadata.get("language_info", {})
        lexer = info.get("pygments_lexer", info.get("name", None))
        self.register_filter("highlight_code", self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        page = lxml.html.document_fromstring(html, parser=_PARSER)
        missing_alt = _NO_ALT(page)
        for image in missing_alt:
            image.set("alt", NO_ALT)
        if missing_alt:
            self.log.warning("Alternative text is missing on %s image(s).", len(missing_alt))
        for element in _FOCUSABLE(page):
            element.set("tabindex", "0")
        return lxml.html.tostring(page, encoding="unicode", doctype="<!DOCTYPE html>") + "\n", resources


HIDDEN_NOTE = "# (hidden tests: not shown; the message below says what failed)"


REMOVED = "[a line of the hidden tests: removed]"


class HideHiddenTests(NbGraderPreprocessor):
    show_hidden_tests = Bool(False, help="Show hidden tests and full tracebacks in feedback.").tag(config=True)
    begin = Unicode("### BEGIN HIDDEN TESTS").tag(config=True)
    end = Unicode("### END HIDDEN TESTS").tag(config=True)

    def preprocess(self, nb, resources):
        # Every line of a hidden region, as code: no output of any cell may show one (the grader
        # never hands the hidden tests to learner code, so this is a second line of defence).
        self._secret = {line.strip() for cell in nb.cells if cell.cell_type == "code" and utils.is_grade(cell)
                        for line in self._hidden(cell.source.splitlines())
                        if len(line.strip()) >= 12 and not line.strip().startswith("#")}
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if self.show_hidden_tests or cell.cell_type != "code":
            return cell, resources
        for output in cell.get("outputs", []):
            self._redact(output)
        if not utils.is_grade(cell):
            return cell, resources
        cell.source = "\n".join(self._visible(cell.source.splitlines()))
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                output.traceback = [f"{output.ename}: {output.evalue}"]
            elif output.output_type == "stream" and output.name == "stderr":
                output.text = "".join(line for line in output.text.splitlines(True)
                                      if line.strip() and not line[0].isspace())
        return cell, resources

    def _redact(self, output) -> None:
        """Lines of the hidden tests in an output are replaced by a note."""
        def clean(text):
            if isinstance(text, list):
                text = "".join(text)
            if not isinstance(text, str) or not any(secret in text for secret in self._secret):
                return text
            return "".join(REMOVED + "\n" if any(s in line for s in self._secret) else line
                           for line in text.splitlines(True))

        if "text" in output:
            output.text = clean(output.text)
        if "evalue" in output:
            output.evalue = clean(output.evalue)
        if "traceback" in output:
            output.traceback = [clean(line) for line in output.traceback]
        for mime, value in output.get("data", {}).items():
            if mime.startswith("text/"):
                output.data[mime] = clean(value)

    def _hidden(self, lines: list[str]):
        hidden = False
        for line in lines:
            if self.begin in line:
                hidden = True
            elif self.end in line:
                hidden = False
            elif hidden:
                yield line

    def _visible(self, lines: list[str]):
        hidden = False
        for line in lines:
            if self.begin in line:
                hidden = True
                yield line[: len(line) - len(line.lstrip())] + HIDDEN_NOTE
            elif self.end in line:
                hidden = False
            elif not hidden:
                yield line
