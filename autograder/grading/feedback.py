"""What a learner's feedback shows of a test cell: its visible part, its name and how it failed.

nbgrader's feedback shows every test cell as graded, hidden tests and tracebacks included,
which would hand the hidden tests to anyone who is graded once. ``HideHiddenTests`` (in
``GenerateFeedback.preprocessors``, see nbgrader_config.py) replaces the hidden region with a
one-line note, cuts each error to its last line (``AssertionError: expected 3, got 4``) and
each warning on stderr to its message lines. ``show_hidden_tests = True`` keeps them all.
"""

from __future__ import annotations

from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Unicode

HIDDEN_NOTE = "# (hidden tests: not shown; the message below says what failed)"


class HideHiddenTests(NbGraderPreprocessor):
    show_hidden_tests = Bool(False, help="Show hidden tests and full tracebacks in feedback.").tag(config=True)
    begin = Unicode("### BEGIN HIDDEN TESTS").tag(config=True)
    end = Unicode("### END HIDDEN TESTS").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if self.show_hidden_tests or cell.cell_type != "code" or not utils.is_grade(cell):
            return cell, resources
        cell.source = "\n".join(self._visible(cell.source.splitlines()))
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                output.traceback = [f"{output.ename}: {output.evalue}"]
            elif output.output_type == "stream" and output.name == "stderr":
                output.text = "".join(line for line in output.text.splitlines(True)
                                      if line.strip() and not line[0].isspace())
        return cell, resources

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
