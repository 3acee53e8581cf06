"""nbgrader settings for this course; the repository root is the course directory."""

import os
from pathlib import Path

from nbgrader.server_extensions import formgrader

import autograder

c = get_config()  # noqa: F821 - provided by nbgrader

c.CourseDirectory.course_id = "asyncio-course"

# nbgrader's exchange, where release_assignment puts the student versions, fetch_assignment and
# submit (a learner's side) take and leave them, and collect and release_feedback pick them up.
# On one machine it is exchange/ in this folder (git ignores it; release_assignment makes it, no
# root needed). For a class on JupyterHub, COURSE_EXCHANGE names the one every account shares
# (hub/nbgrader_config.py reads it too): see README.md, "A class on JupyterHub".
c.Exchange.root = os.environ.get("COURSE_EXCHANGE") or str(Path(__file__).resolve().parent / "exchange")
# A learner's fetched copy goes to <their folder>/asyncio-course/NN-slug/: one folder for the
# course's assignments, which no instructor command writes to.
c.Exchange.path_includes_course = True

# Exercises are checked on virtual time and finish in milliseconds, so a cell that runs
# for 10 s is a runaway (an infinite loop, a blocked event loop). It is interrupted and
# scores zero; the rest of the notebook and every other submission go on.
c.Execute.timeout = 10
c.Execute.interrupt_on_timeout = True

# Feedback pages open offline: autograder/grading/templates/feedback/ shadows the one macro of
# nbgrader's "feedback" template that loads MathJax from a CDN, whoever makes the page
# (`make grade`, `nbgrader generate_feedback`, the Formgrader). No template name is set here, so
# the Formgrader's own grading view keeps its "formgrade" template. nbconvert also sanitises
# Markdown and HTML outputs in every page it makes (the grader already has, before saving).
c.HTMLExporter.extra_template_basedirs = [
    str(Path(autograder.__file__).resolve().parent / "grading" / "templates"),
    str(Path(formgrader.__file__).resolve().parent / "templates"),  # nbgrader's "feedback", "formgrade"
]
c.HTMLExporter.sanitize_html = True

# Every autograde runs each notebook in the sandbox, with the grader's warden deciding outcomes
# (autograder/grading/execute.py): `make grade` and `check`, but also nbgrader's own
# `nbgrader autograde` and the Formgrader's Autograde button. (`make grade` also grades in a
# scratch course, in parallel, and reports flags and bad submissions in plain words.)
from autograder.grading.execute import sandboxed_preprocessors  # noqa: E402

c.Autograde.autograde_preprocessors = sandboxed_preprocessors()

# nbconvert checks a notebook against nbformat's schema after every preprocessor by default
# (eight times an autograde pass); once, after the last one, is as safe and cheaper.
c.Exporter.optimistic_validation = True

# A learner who deletes a test cell gets it back, restored from the gradebook.
c.OverwriteCells.add_missing_cells = True

# What a learner sees in every answer cell of the released notebooks.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# stderr policy: nbgrader gives zero to a test cell that writes anything to stderr. We keep
# that, and decide what may reach stderr:
# - Python warnings do, and cost the cell: those a learner can cause ("coroutine ... was never
#   awaited", "Task was destroyed but it is pending", ResourceWarning) mean a real bug, and a
#   correct answer never causes one. The tests close every coroutine they create, and the one
#   deprecated form a correct answer may use (PEP 380's three-argument throw) is silenced where
#   chapter 03 runs it, not kernel-wide.
# - Loop errors (what asyncio's exception handler would log: "Task exception was never
#   retrieved", "Exception in callback") never do: autograder.vtime collects them in
#   Run.loop_errors, and a test checks them only where its statement says so.
# - Log records (the logging module) never do either: a correct answer may use a library that
#   logs, say, a late reply it dropped. While vtime.run runs the learner's code, every record
#   emitted on its worker thread goes to Run.logs, whatever handlers exist, and root handlers
#   added during the run (logging.basicConfig, which logging.warning() calls) are removed after
#   it; no test grades them unless its statement says so.

# Feedback shows each test cell's visible part, its name and how it failed, never the hidden
# tests' source or tracebacks through them (set show_hidden_tests to True to show them).
from autograder.grading.feedback import FeedbackExporter, HideHiddenTests  # noqa: E402
from nbgrader.preprocessors import GetGrades  # noqa: E402
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402

c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]
c.GenerateFeedback.exporter_class = FeedbackExporter  # nbconvert's, with templates compiled once
c.HideHiddenTests.show_hidden_tests = False
