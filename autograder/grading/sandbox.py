"""A Jupyter kernel inside a bubblewrap sandbox, for grading code nobody should trust.

``SandboxedKernelManager`` is a jupyter_client kernel manager whose kernel runs inside
``bwrap``: its own PID, network, IPC and UTS namespaces (no network at all: only its own
loopback), an unprivileged uid with no capabilities, a read-only view of the interpreter,
the virtualenv and the course's ``autograder`` package, a private writable working folder
and a private ``/tmp``, and resource limits set by ``prlimit``. The kernel talks to the
grader over Unix sockets (``transport="ipc"``) in a directory shared with it only.

When the sandbox cannot be built (no ``bwrap``, no namespaces, not Linux), the manager
starts an ordinary kernel and says so loudly (``SandboxUnavailable`` warning and an error
in the log); ``sandbox.unavailable()`` tells why.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import zmq
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from traitlets import Any, Bool, Instance, Integer, Unicode, default

import autograder
from autograder.grading import warden
from autograder.grading.cgroups import Cgroup, CgroupLimits

NOBODY = 65534
HOME = "/home/learner"  # the kernel's working folder, inside the sandbox
ETC = ["passwd", "group", "hosts", "nsswitch.conf", "localtime", "fonts", "ssl"]
SAFE_ENV = ["LANG", "LC_ALL", "TZ", "MPLBACKEND", "NBGRADER_EXECUTION", "PYTHONHASHSEED"]
MiB = 1 << 20
SEND_PATIENCE_MS = 5000  # how long a message to a kernel may wait to be sent


@dataclass(frozen=True)
class Limits:
    """Per-kernel resource limits (prlimit); each applies to every process of the kernel."""

    address_space: int = 4096 * MiB  # RLIMIT_AS: virtual memory of one process
    processes: int = 256  # RLIMIT_NPROC: processes of the sandbox uid
    file_size: int = 64 * MiB  # RLIMIT_FSIZE: largest file it may write
    cpu_seconds: int = 300  # RLIMIT_CPU: CPU time of one process
    tmp_size: int = 256 * MiB  # size of the private /tmp, and of /dev/shm
    work_size: int = 256 * MiB  # size of the working folder (a tmpfs: nothing reaches the disk)


class SandboxUnavailable(UserWarning):
    """Grading runs without a sandbox: submissions can reach everything the grader can."""


@functools.cache
def unavailable() -> str | None:
    """Why this machine cannot build the sandbox, or None when it can."""
    if not sys.platform.startswith("linux"):
        return f"bubblewrap needs Linux, this is {sys.platform}"
    tools = ["bwrap"] + (["setpriv", "prlimit"] if os.geteuid() == 0 else ["prlimit"])
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        return f"{', '.join(missing)} not found (Debian: apt install bubblewrap util-linux)"
    with tempfile.TemporaryDirectory() as tmp:
        probe = command(["/bin/true"], workdir=Path(tmp), shared=Path(tmp), limits=Limits())
        result = subprocess.run(probe, capture_output=True, text=True)
    if result.returncode != 0:
        return f"bwrap cannot create the namespaces: {result.stderr.strip()}"
    return None


def command(argv: list[str], *, workdir: Path, shared: Path, limits: Limits,
            info_fd: int | None = None, env: dict[str, str] | None = None,
            uid: int = NOBODY) -> list[str]:
    """``argv`` wrapped in bwrap (and, as root, setpriv to the unprivileged ``uid``) and prlimit."""
    as_root = os.geteuid() == 0
    cmd = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
           "--unshare-cgroup-try", "--die-with-parent", "--new-session", "--clearenv",
           "--as-pid-1"]  # the kernel is PID 1: when it exits, Linux kills the rest first
    if not as_root:  # the user namespace maps the caller to `nobody` inside
        cmd += ["--unshare-user", "--uid", str(NOBODY), "--gid", str(NOBODY), "--cap-drop", "ALL"]
    if info_fd is not None:
        cmd += ["--info-fd", str(info_fd)]
    cmd += _system_view(limits)
    for path in _readonly_paths():
        cmd += _dirs_above(path) + ["--ro-bind", path, path]
    cmd += _dirs_above(str(shared)) + ["--bind", str(shared), str(shared)]
    cmd += _dirs_above(HOME) + ["--perms", "1777", "--size", str(limits.work_size), "--tmpfs", HOME]
    cmd += _data_files(workdir) + ["--chdir", HOME]
    for name, value in _environment(env or {}).items():
        cmd += ["--setenv", name, value]
    cmd += _matplotlib_cache()
    cmd.append("--")
    if as_root:  # a real unprivileged uid on the host, no capabilities, no way back
        cmd += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                "--no-new-privs", "--bounding-set=-all", "--inh-caps=-all", "--"]
    cmd += ["prlimit", f"--as={limits.address_space}", f"--nproc={limits.processes}",
            f"--fsize={limits.file_size}", f"--cpu={limits.cpu_seconds}", "--core=0", "--"]
    return cmd + argv


def _data_files(folder: Path) -> list[str]:
    """The assignment's data files, read-only in the working folder (regular files only)."""
    args: list[str] = []
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        inside = f"{HOME}/{path.relative_to(folder)}"
        if path.is_dir() and not path.is_symlink():
            args += ["--perms", "1777", "--dir", inside]
        elif path.is_file() and not path.is_symlink():
            args += ["--ro-bind", str(path), inside]
    return args


def _system_view(limits: Limits) -> list[str]:
    view = ["--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev",
            "--perms", "1777", "--size", str(limits.tmp_size), "--tmpfs", "/dev/shm",
            "--perms", "1777", "--size", str(limits.tmp_size), "--tmpfs", "/tmp"]
    for top in ("/bin", "/lib", "/lib32", "/lib64", "/sbin"):
        if os.path.islink(top):
            view += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            view += ["--ro-bind", top, top]
    for name in ETC:
        if os.path.exists(f"/etc/{name}"):
            view += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    return view


def _readonly_paths() -> list[str]:
    """The interpreter, the virtualenv and the course package, outside /usr."""
    package = str(Path(autograder.__file__).resolve().parent)
    paths = {os.path.realpath(p) for p in (sys.base_prefix, sys.prefix, package)}
    return sorted(p for p in paths if not p.startswith("/usr/"))


def _dirs_above(path: str) -> list[str]:
    """bwrap makes missing parents 0700; make them 0755 so the sandbox uid can pass."""
    parents = list(Path(path).parents)[::-1][1:]  # without "/"
    return [arg for parent in parents for arg in ("--perms", "0755", "--dir", str(parent))]


def _environment(extra: dict[str, str]) -> dict[str, str]:
    env = {name: os.environ[name] for name in SAFE_ENV if name in os.environ}
    env |= {"HOME": HOME, "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "TMPDIR": "/tmp", "MPLCONFIGDIR": "/tmp/matplotlib", "IPYTHONDIR": "/tmp/ipython"}
    return env | extra


def _matplotlib_cache() -> list[str]:
    """The grader's font list, so each kernel does not spend seconds rebuilding it."""
    try:
        import matplotlib
        from matplotlib import font_manager  # builds the cache once, in the grader
    except ImportError:
        return []
    name = f"fontlist-v{font_manager.FontManager.__version__}.json"
    cached = Path(matplotlib.get_cachedir()) / name
    if not cached.is_file():
        return []
    return ["--perms", "0777", "--dir", "/tmp/matplotlib",
            "--ro-bind", str(cached), f"/tmp/matplotlib/{name}"]


# Uids no account owns, one per running kernel (RLIMIT_NPROC counts per uid). A kernel holds
# an exclusive lock on its uid's file, in a folder only root can enter, while it runs.
SANDBOX_UIDS = range(200_000, 201_000)
UID_LOCKS = Path(tempfile.gettempdir()) / "asyncio-course-sandbox-uids"


def reserve_uid() -> tuple[int, object]:
    """A uid no other kernel on this machine is using, and the open lock file that holds it."""
    UID_LOCKS.mkdir(mode=0o700, exist_ok=True)
    for uid in SANDBOX_UIDS:
        lock = open(UID_LOCKS / str(uid), "a")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            continue
        if not _processes_of(uid):  # nothing left behind by a grader that crashed
            return uid, lock
        lock.close()
    raise RuntimeError(f"all {len(SANDBOX_UIDS)} sandbox uids are in use")


def _processes_of(uid: int) -> list[int]:
    """Live processes whose real uid is ``uid``."""
    return [int(e.name) for e in os.scandir("/proc") if e.name.isdigit() and _uid_of(e.name) == uid]


def _uid_of(pid: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("Uid:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def _cpu_of(pid: int) -> float:
    """User and system CPU seconds of a process and its waited-for children."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


class PatientClient(AsyncKernelClient):
    """A client whose sends to a kernel give up after ``SEND_PATIENCE_MS`` (a notebook can break
    its own kernel's connections, and no send may then hold the grader for ever). It starts no
    heartbeat channel: its thread would block the same way, and the grader watches the kernel
    process itself."""

    def start_channels(self, shell=True, iopub=True, stdin=True, hb=False, control=True) -> None:
        super().start_channels(shell=shell, iopub=iopub, stdin=stdin, hb=False, control=control)
        for channel in (self.shell_channel, self.stdin_channel, self.control_channel):
            if channel.socket is not None:
                channel.socket.setsockopt(zmq.SNDTIMEO, SEND_PATIENCE_MS)
                channel.socket.setsockopt(zmq.LINGER, 0)


class SandboxedKernelManager(AsyncKernelManager):
    """An AsyncKernelManager whose kernel runs in the sandbox (see the module docstring)."""

    sandbox = Bool(True, config=True, help="Run the kernel in the sandbox when possible.")
    workdir = Unicode("", config=True, help="Host folder whose files (the assignment's data) the "
                      "kernel finds, read-only, in its working folder; default: none.")
    tempdir = Unicode("", config=True, help="Where the kernel's private and IPC folders go "
                      "(default: the system's); a caller can remove it even if the kernel died.")
    limits = Instance(Limits, kw={})
    cgroup_limits = Instance(CgroupLimits, kw={})
    uid = Integer(None, allow_none=True, config=True, help="The kernel's uid (and gid) on the "
                  "host when the grader is root; default: one reserved for this kernel alone "
                  "(reserve_uid), so no kernel can use up another's RLIMIT_NPROC.")
    warden_payload = Any(None, allow_none=True, help="What the warden gets at start (see "
                         "autograder.grading.warden); None: an ordinary kernel.")
    _shared = Instance(Path, allow_none=True)
    _init_pid: int | None = None
    warden_reader: int | None = None  # the grader's end of the warden's pipe

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"

    @default("client_factory")
    def _default_client_factory(self) -> type:
        return PatientClient

    @property
    def sandboxed(self) -> bool:
        return self.sandbox and unavailable() is None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if not self.sandboxed:
            reason = unavailable() if self.sandbox else "sandbox switched off"
            message = f"KERNEL NOT SANDBOXED ({reason}): submitted code can read and change " \
                      "everything this user can"
            warnings.warn(message, SandboxUnavailable, stacklevel=2)
            self.log.error(message)

    async def _async_pre_start_kernel(self, **kw):
        if self.sandboxed and os.geteuid() == 0 and self.uid is None:
            self.uid, self._uid_lock = reserve_uid()
        if self.sandboxed and getattr(self, "_cgroup", None) is None:
            self._cgroup = Cgroup.create(f"asyncio-course-{os.getpid()}-{id(self):x}", self.cgroup_limits)
        if self._shared is None:  # made here, so a manager never started leaves nothing behind
            base = self.tempdir or None
            self._private = Path(tempfile.mkdtemp(prefix="kernel-grader-", dir=base))  # never in the sandbox
            self._shared = Path(tempfile.mkdtemp(prefix="kernel-ipc-", dir=base))
            self.connection_file = str(self._shared / "kernel.json")
            self.ip = str(self._shared / "kernel-ipc")
            if not self.workdir:
                self.workdir = str(self._private / "work")
                os.mkdir(self.workdir)
        return await super()._async_pre_start_kernel(**kw)

    @property
    def kernel_spec(self):
        spec = super().kernel_spec
        if spec is not None and self.sandboxed:
            spec.interrupt_mode = "message"  # the process we started is bwrap, not the kernel
        return spec

    def write_connection_file(self, **kwargs) -> None:
        super().write_connection_file(**kwargs)
        if self.sandboxed and os.geteuid() == 0:
            for path in (self._shared, self.connection_file, self.workdir):
                os.chown(path, self.uid, self.uid)

    def format_kernel_cmd(self, extra_arguments=None) -> list[str]:
        argv = super().format_kernel_cmd(extra_arguments)
        env = {}
        if self.warden_payload is not None:
            argv = [("autograder.grading.kernel" if a == "ipykernel_launcher" else a) for a in argv]
            env = self._open_warden_channel()
        self._warden_env = env
        if not self.sandboxed:
            return argv
        self._init_pid = None  # a restart starts a new sandbox
        self._info = open(self._private / "info.json", "w")  # bwrap writes the init's pid here
        joined = self._cgroup.join_command() if getattr(self, "_cgroup", None) else []
        return joined + command(argv, workdir=Path(self.workdir), shared=self._shared, limits=self.limits,
                                info_fd=self._info.fileno(), uid=self.uid, env=env)

    def cpu_seconds(self) -> float | None:
        """CPU time the kernel and every process it started have used (None: cannot tell)."""
        if getattr(self, "_cgroup", None) is not None:
            return self._cgroup.cpu_seconds()
        if self.sandboxed and self.uid is not None and os.geteuid() == 0:
            return sum(_cpu_of(pid) for pid in _processes_of(self.uid))
        return None

    def seal(self) -> None:
        """Once the kernel has made its sockets, its shared folder is no longer writable by it."""
        if self.sandboxed and os.geteuid() == 0 and self._shared is not None:
            os.chown(self._shared, 0, 0)
            os.chmod(self._shared, 0o755)

    def _open_warden_channel(self) -> dict[str, str]:
        """The payload on a file descriptor (a file nobody can open by name) and the warden's pipe."""
        for fd in self._warden_fds():
            os.close(fd)
        path = self._private / "warden.json"
        path.write_text(json.dumps(self.warden_payload))
        self._payload_fd = os.open(path, os.O_RDONLY)
        path.unlink()
        self.warden_reader, self._report_fd = os.pipe()
        os.set_blocking(self.warden_reader, False)
        return {warden.PAYLOAD_FD: str(self._payload_fd), warden.REPORT_FD: str(self._report_fd)}

    def _warden_fds(self) -> list[int]:
        fds = [getattr(self, "_payload_fd", None), getattr(self, "_report_fd", None)]
        self._payload_fd = self._report_fd = None
        return [fd for fd in fds if fd is not None]

    def read_warden(self) -> bytes:
        """What the warden has written since the last read (b"" when nothing)."""
        chunks = []
        while self.warden_reader is not None:
            try:
                chunk = os.read(self.warden_reader, 1 << 16)
            except BlockingIOError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        warden_fds = [int(fd) for fd in self._warden_env.values()]
        if warden_fds:
            kw["pass_fds"] = (*kw.get("pass_fds", ()), *warden_fds)
            if not self.sandboxed:
                kw["env"] = {**(kw.get("env") or os.environ), **self._warden_env}
        if self.sandboxed:
            kw["pass_fds"] = (*kw.get("pass_fds", ()), self._info.fileno())
            kw["cwd"] = str(self._private)
            # The kernel's own fds 1 and 2 never reach the grader's terminal: stdout is
            # dropped, stderr kept in a file (at most Limits.file_size) for bwrap's errors.
            kw["stdout"] = subprocess.DEVNULL
            kw["stderr"] = self._stderr = open(self._private / "stderr.log", "wb")
        try:
            await super()._async_launch_kernel(kernel_cmd, **kw)
        finally:
            for fd in self._warden_fds():  # the kernel holds its own copies now
                os.close(fd)
        if self.sandboxed:
            self._info.close()
            self._stderr.close()

    def _connect_control_socket(self) -> None:
        super()._connect_control_socket()
        # A kernel whose connection broke (a notebook can write into its own sockets) must not
        # hold the grader: a send gives up after a while instead of waiting for ever.
        self._control_socket.setsockopt(zmq.SNDTIMEO, SEND_PATIENCE_MS)
        self._control_socket.setsockopt(zmq.LINGER, 0)

    async def _async_interrupt_kernel(self) -> None:
        """SIGINT to the sandbox's PID 1, the kernel (ipykernel handles it), needing no channel;
        the interrupt message otherwise, given up when the channel is broken."""
        pid = self.sandbox_init_pid()
        bwrap = self.provisioner.process.pid if self.provisioner and self.provisioner.process else None
        if pid is not None and bwrap is not None and _parent(pid) == bwrap:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGINT)
            return
        try:
            await super()._async_interrupt_kernel()
        except zmq.Again:
            self.log.warning("the kernel's control channel is broken: it was not interrupted")

    async def _async_request_shutdown(self, restart: bool = False) -> None:
        try:
            await super()._async_request_shutdown(restart)
        except zmq.Again:  # a broken channel: the kernel is killed instead
            pass

    def sandbox_init_pid(self) -> int | None:
        """Host pid of the sandbox's PID 1; killing it kills every process of the kernel."""
        if self._init_pid is None and self.sandboxed:
            try:
                info = json.loads((self._private / "info.json").read_text())
                self._init_pid = int(info["child-pid"])
            except (OSError, ValueError, KeyError):
                return None
        return self._init_pid

    def kill_sandbox(self) -> None:
        """SIGKILL the sandbox's PID 1: Linux then kills every process left in its namespace
        before PID 1 is reaped, so when bwrap exits nothing of the kernel is left."""
        pid = self.sandbox_init_pid()
        bwrap = self.provisioner.process.pid if self.provisioner and self.provisioner.process else None
        if pid is not None and bwrap is not None and _parent(pid) == bwrap:  # not a reused pid
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    async def _async_wait_uid_gone(self, limit: float = 10.0) -> None:
        """Return once no process of the kernel's own uid is left. The namespace is empty when
        bwrap exits, but its processes are reaped in the background; until then they count
        against RLIMIT_NPROC, and the next kernel of this uid could not start its threads."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        while (left := _processes_of(self.uid)) and loop.time() < deadline:
            await asyncio.sleep(0.02)
        for pid in left:  # never reached in practice; the uid is ours alone
            self.log.warning("killing process %d left by the sandbox", pid)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    async def _async_send_kernel_sigterm(self, restart: bool = False) -> None:
        self.kill_sandbox()
        await super()._async_send_kernel_sigterm(restart)

    async def _async_kill_kernel(self, restart: bool = False) -> None:
        self.kill_sandbox()
        if self.sandboxed and self.has_kernel:  # bwrap exits once it has reaped the kernel
            try:
                await asyncio.wait_for(self._async_wait(), timeout=5.0)
            except asyncio.TimeoutError:
                self.log.warning("the sandbox did not exit after SIGKILL")
        await super()._async_kill_kernel(restart)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart)
        if getattr(self, "_uid_lock", None) is not None and not restart:
            await self._async_wait_uid_gone()
        if getattr(self, "_cgroup", None) is not None and not restart:
            self._cgroup.remove()
            self._cgroup = None
            self._uid_lock.close()  # the uid is free for the next kernel
            self._uid_lock, self.uid = None, None
        if not restart and self.warden_reader is not None:
            os.close(self.warden_reader)
            self.warden_reader = None
        if not restart and self._shared is not None:
            shutil.rmtree(self._shared, ignore_errors=True)
            shutil.rmtree(self._private, ignore_errors=True)
            self._shared = None
