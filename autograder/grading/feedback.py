"""What a learner's feedback shows of a test cell: its visible part, its name and how it failed.

nbgrader's feedback shows every test cell as graded, hidden tests and tracebacks included,
which would hand the hidden tests to anyone who is graded once. ``HideHiddenTests`` (in
``GenerateFeedback.preprocessors``, see nbgrader_config.py) replaces the hidden region with a
one-line note, cuts each error to its last line (``AssertionError: expected 3, got 4``) and
each warning on stderr to its message lines. ``show_hidden_tests = True`` keeps them all.

``FeedbackExporter`` makes the pages (``GenerateFeedback.exporter_class``): nbconvert's HTML
exporter, whose templates a process compiles once instead of once per page.
"""

from __future__ import annotations

import jinja2
from nbconvert.exporters import HTMLExporter
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


class FeedbackExporter(HTMLExporter):
    """nbconvert's HTML exporter. nbgrader makes a new one for every feedback page, and each
    would compile the same templates again (a third of a page's time)."""

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = _COMPILED
        return environment


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
