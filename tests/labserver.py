"""``make lab``'s server for the tests: the same command and config, headless, on a free port.

As for a learner, the server makes its own token, and the tests take it from the URL it prints.
Its log goes to a file (a pipe nobody reads would fill up and stall it), and its workspaces
(open tabs) to a folder of the test's own, so no test changes a person's JupyterLab.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT

START_TIMEOUT = 120  # s; a safety net: the server is up in a few seconds
URL = re.compile(r"http://127\.0\.0\.1:\d+/\S*")
TOKEN = re.compile(r"[?&]token=([0-9a-f]{16,})")


@dataclass
class Lab:
    base: str
    token: str
    log: Path

    def printed_urls(self) -> list[str]:
        return URL.findall(self.log.read_text(errors="replace"))

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ready(base: str, token: str) -> bool:
    request = urllib.request.Request(f"{base}/api/status", headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def running(course: Path, state: Path):
    """``make lab NO_BROWSER=1`` in ``course`` (the repository or a copy of its files, run with
    this interpreter's venv); ``state`` is a folder for its log and workspaces."""
    port = free_port()
    state.mkdir(parents=True, exist_ok=True)
    command = ["make", "-s", "lab", "NO_BROWSER=1", f"PORT={port}"]
    if Path(course).resolve() != ROOT:  # a copy has no pyproject.toml to install from
        command += ["-o", "install", f"VENV={Path(sys.executable).parent.parent}"]
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTER_TOKEN", "MPLBACKEND")}
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(state / "workspaces")
    log = state / "lab.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=course, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    lab = Lab(f"http://127.0.0.1:{port}", "", log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not (lab.token and _ready(lab.base, lab.token)):
            if process.poll() is not None:
                raise RuntimeError(f"make lab exited with {process.returncode}:\n{log.read_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"JupyterLab did not answer within {START_TIMEOUT} s:\n{log.read_text()}")
            tokens = [m.group(1) for url in lab.printed_urls() if (m := TOKEN.search(url))]
            lab.token = tokens[0] if tokens else ""
            time.sleep(0.2)
        yield lab
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
