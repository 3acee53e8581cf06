"""A control group per sandbox: CPU, memory and processes bounded for a kernel and all it starts.

Per-process limits (``prlimit``) bound each process; a submission that starts many processes
(each in a session of its own, so each with its own share of the scheduler) could still use
every core and more memory than the machine can spare, and starve a neighbour graded beside it.
A cgroup bounds the sandbox as a whole: ``CgroupLimits.cpus`` cores at most, ``memory`` bytes
(its tmpfs working folder included), ``processes`` at most. Both cgroup versions are used as
the machine offers them: version 2 where a child group can take the controllers, else the
version 1 hierarchies (cpu, cpuacct, memory, pids), each group created below the grader's own.
``Cgroup.create`` returns None where neither works (not root, a read-only hierarchy).
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

GiB = 1 << 30


@dataclass(frozen=True)
class CgroupLimits:
    cpus: float = 1.0  # cores, for the kernel and every process it starts together
    memory: int = 5 * GiB  # bytes (above the 4 GiB per process, so one process meets that first)
    processes: int = 256


def _mounts() -> dict[str, Path]:
    """Where each cgroup controller is mounted ("" for the version 2 hierarchy)."""
    found: dict[str, Path] = {}
    with open("/proc/self/mountinfo") as mountinfo:
        for line in mountinfo:
            fields = line.split()
            kind = fields[fields.index("-") + 1]
            point, options = Path(fields[4]), fields[-1].split(",")
            if kind == "cgroup2":
                found[""] = point
            elif kind == "cgroup":
                for controller in options:
                    found.setdefault(controller, point)
    return found


def _own_groups() -> dict[str, str]:
    """The grader's own group in each hierarchy ("" for version 2)."""
    groups: dict[str, str] = {}
    with open("/proc/self/cgroup") as cgroup:
        for line in cgroup:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            for controller in controllers.split(",") if controllers else [""]:
                groups[controller] = path
    return groups


class Cgroup:
    """One sandbox's group (in one or several hierarchies)."""

    def __init__(self, folders: dict[str, Path]) -> None:
        self.folders = folders  # controller -> the group's folder

    @classmethod
    def create(cls, name: str, limits: CgroupLimits) -> Cgroup | None:
        if os.geteuid() != 0:
            return None
        mounts, own = _mounts(), _own_groups()
        for make in (cls._version2, cls._version1):
            try:
                group = make(name, limits, mounts, own)
            except OSError:
                group = None
            if group is not None:
                return group
        return None

    @classmethod
    def _version2(cls, name, limits, mounts, own) -> Cgroup | None:
        if "" not in mounts or not (mounts[""] / "cgroup.controllers").is_file():
            return None
        parent = mounts[""] / own.get("", "/").lstrip("/")
        available = (parent / "cgroup.controllers").read_text().split()
        if not {"cpu", "memory", "pids"} <= set(available):
            return None
        (parent / "cgroup.subtree_control").write_text("+cpu +memory +pids")
        folder = parent / name
        folder.mkdir()
        group = cls({"": folder})
        try:
            (folder / "cpu.max").write_text(f"{int(limits.cpus * 100_000)} 100000")
            (folder / "memory.max").write_text(str(limits.memory))
            (folder / "pids.max").write_text(str(limits.processes))
        except OSError:
            group.remove()
            raise
        return group

    @classmethod
    def _version1(cls, name, limits, mounts, own) -> Cgroup | None:
        wanted = ("cpu", "cpuacct", "memory", "pids")
        if not all(c in mounts for c in wanted):
            return None
        folders = {}
        group = cls(folders)
        try:
            for controller in wanted:
                folder = mounts[controller] / own.get(controller, "/").lstrip("/") / name
                folder.mkdir()
                folders[controller] = folder
            (folders["cpu"] / "cpu.cfs_period_us").write_text("100000")
            (folders["cpu"] / "cpu.cfs_quota_us").write_text(str(int(limits.cpus * 100_000)))
            (folders["memory"] / "memory.limit_in_bytes").write_text(str(limits.memory))
            (folders["pids"] / "pids.max").write_text(str(limits.processes))
        except OSError:
            group.remove()
            raise
        return group

    def join_command(self) -> list[str]:
        """A prefix for a command: the shell it starts puts itself in the group, then runs it."""
        targets = " ".join(f"'{folder}/cgroup.procs'" for folder in self.folders.values())
        return ["/bin/sh", "-c", f'for f in {targets}; do echo $$ > "$f" || exit 97; done; exec "$@"',
                "cgroup-join"]

    def cpu_seconds(self) -> float:
        """CPU time used by every process of the group so far (those gone included)."""
        if "" in self.folders:
            for line in (self.folders[""] / "cpu.stat").read_text().splitlines():
                if line.startswith("usage_usec "):
                    return int(line.split()[1]) / 1e6
            return 0.0
        return int((self.folders["cpuacct"] / "cpuacct.usage").read_text()) / 1e9

    def remove(self, patience: float = 5.0) -> None:
        """Remove the group's folders once no process is left in them."""
        deadline = time.monotonic() + patience
        for folder in self.folders.values():
            while True:
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:  # still busy: the sandbox's last processes are being reaped
                    if time.monotonic() > deadline:
                        with contextlib.suppress(OSError):
                            for pid in (folder / "cgroup.procs").read_text().split():
                                os.kill(int(pid), 9)
                        deadline += patience
                    time.sleep(0.02)
