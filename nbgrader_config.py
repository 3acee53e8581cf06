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

# stderr policy: nbgrader gives zero to a test cell that writes to stderr, and we keep it
# that way, so the warnings that mean a real bug ("coroutine ... was never awaited",
# "Task was destroyed but it is pending") cost marks. Correct code never causes one:
# autograder.vtime cancels leftover tasks, closes its loops and collects loop errors
# instead of logging them, and the tests close every coroutine they create.
