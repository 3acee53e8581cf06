"""The CI workflow an instructor's fork runs (.github/workflows/test.yml), checked offline.

It cannot run here, so: it is valid for GitHub Actions (check-jsonschema's copy of the
workflow schema, shipped in the package: nothing is downloaded), it runs exactly the README's
test command and nothing else, on the Python versions the README names, in a Debian image as
root, where that command installs the system packages itself.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "test.yml"
CHECKER = Path(sys.executable).parent / "check-jsonschema"
# Any request would go to a closed port: the check must need no network.
OFFLINE = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def readme() -> str:
    return (ROOT / "README.md").read_text()


def readme_test_command() -> str:
    """The command of the README's "Two commands" block that runs the tests."""
    block = re.search(r"## Two commands\s+```sh\n(.*?)```", readme(), re.DOTALL).group(1)
    [command] = [line.split("#")[0].strip() for line in block.splitlines() if "test suite" in line]
    return command


def check(path: Path) -> subprocess.CompletedProcess:
    if not CHECKER.exists():
        pytest.fail(f"no {CHECKER}: check-jsonschema is a dependency of the course (make install)")
    return subprocess.run([str(CHECKER), "--builtin-schema", "vendor.github-workflows", str(path)],
                          capture_output=True, text=True, timeout=120, env=os.environ | OFFLINE)


def test_the_workflow_is_valid_for_github_actions():
    result = check(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checker_finds_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("runs-on:", "run-on:"))
    result = check(broken)
    assert result.returncode == 1 and "runs-on" in result.stdout + result.stderr, result.stdout + result.stderr


def test_the_workflow_runs_exactly_the_readmes_test_command():
    command = readme_test_command()
    assert command == "make test"
    [job] = workflow()["jobs"].values()
    runs = [step["run"].strip() for step in job["steps"] if "run" in step]
    assert runs == [command], f"expected the one command {command!r}, the workflow runs {runs}"
    assert (ROOT / ".ci" / "run").read_text().strip().endswith(command), "the project's own CI runs it too"


def test_the_workflow_runs_on_the_python_versions_the_readme_names():
    [job] = workflow()["jobs"].values()
    versions = job["strategy"]["matrix"]["python"]
    said = re.search(r"`\.github/workflows/test\.yml`[^.]*?on Python ([\d., and]+\d)", readme())
    assert said, "README.md does not say which Python versions CI runs"
    assert versions == re.findall(r"3\.\d+", said.group(1)), said.group(0)
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == f">={versions[0]}", f"CI's oldest Python ({versions[0]}) is not the oldest supported ({requires})"
    assert job["container"]["image"] == "python:${{ matrix.python }}-bookworm"


def test_make_test_installs_the_system_packages_in_ci():
    # In the Debian container CI runs as root, where `make test` installs SYSTEM_PACKAGES itself.
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^test: .*\bsystem-packages\b", makefile, re.MULTILINE)
    assert 'if [ "$$(id -u)" = 0 ] && command -v apt-get' in makefile
    [job] = workflow()["jobs"].values()
    assert "--user" not in job["container"].get("options", ""), "the container must run as root"
