"""nbgrader settings for this course; the repository root is the course directory."""

c = get_config()  # noqa: F821 - provided by nbgrader

c.CourseDirectory.course_id = "asyncio-course"

# Exercises are checked on virtual time and finish in milliseconds, so a cell that runs
# for 10 s is a runaway (an infinite loop, a blocked event loop). It is interrupted and
# scores zero; the rest of the notebook and every other submission go on.
c.Execute.timeout = 10
c.Execute.interrupt_on_timeout = True

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
#   logs, say, a late reply it dropped. While vtime.run runs the learner's code, records that
#   would have gone to stderr (no handler configured, logging.lastResort) go to Run.logs
#   instead, and no test grades them.

# Feedback shows each test cell's visible part, its name and how it failed, never the hidden
# tests' source or tracebacks through them (set show_hidden_tests to True to show them).
from autograder.feedback import HideHiddenTests  # noqa: E402
from nbgrader.preprocessors import GetGrades  # noqa: E402
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402

c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]
c.HideHiddenTests.show_hidden_tests = False
