"""The graded kernel: ``python -m autograder.grading.kernel -f CONNECTION_FILE``.

ipykernel's own launcher, with two things done first, before any notebook code can run: the
process is made non-dumpable (no other process of its user, such as a program a submission
starts, can read or write its memory), and the warden (``autograder.grading.warden``) is
installed from the payload the grader passed on an inherited file descriptor. The kernel has
no debugger (debugpy).
"""

import ctypes
import sys

PR_SET_DUMPABLE = 4


def main() -> None:
    libc = ctypes.CDLL(None, use_errno=True)  # the interpreter is linked against libc
    if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        sys.exit(f"the graded kernel could not make itself non-dumpable (errno {ctypes.get_errno()})")
    from autograder.grading import warden

    # No debugger in a graded kernel: nobody attaches one, and ipykernel imports debugpy (a
    # tenth of the kernel's start) only to offer it; it does without when the import fails.
    sys.modules["debugpy"] = None
    warden.start()
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
