"""The course's runtime: virtual-time runs, probes, timelines and the grading commands.

Kernels import the pieces they need (``from autograder import vtime, probes``);
``autograder.timeline`` imports matplotlib, so it is only loaded when asked for.
"""

__version__ = "0.1.0"
