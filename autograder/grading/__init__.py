"""The instructor's half of the course package: grading untrusted notebooks with nbgrader.

Lessons and exercises never import from here; they use the runtime next door (``vtime``,
``probes``, ``timeline``...). Here:

- ``cli``: ``python -m autograder release|grade|check``;
- ``course``: one course directory driven through nbgrader's own API;
- ``isolation``: each submission graded in a scratch course of its own, then merged;
- ``sandbox``: the kernel in bubblewrap, as a uid of its own, with limits;
- ``guard``: what answers should not need (a hint for a person, never a mark);
- ``inspection``: a submitted notebook read, and repaired, before nbgrader sees it;
- ``feedback``: what a learner's feedback page shows of a test cell.
"""
