"""The sandboxed kernel sees, reaches and leaves behind nothing but its own working folder.

Every check runs real code in a real kernel inside bubblewrap; none sleeps: processes
are counted in /proc, connections are refused or answered, files exist or not.
"""

from __future__ import annotations

import asyncio
import glob
import os
import socket
import textwrap

import pytest

from autograder.grading import sandbox
from autograder.grading.sandbox import Limits, SandboxedKernelManager, SandboxUnavailable
from conftest import ROOT

pytestmark = [
    pytest.mark.skipif(sandbox.unavailable() is not None,
                       reason=f"no sandbox here: {sandbox.unavailable()}"),
    pytest.mark.xdist_group("sandbox"),
]


class Kernel:
    """A sandboxed kernel and a client, driven synchronously for the tests."""

    def __init__(self, **traits):
        self.loop = asyncio.new_event_loop()
        self.km = SandboxedKernelManager(kernel_name="python3", **traits)
        self.loop.run_until_complete(self.km.start_kernel())
        self.kc = self.km.client()
        self.kc.start_channels()
        self.loop.run_until_complete(self.kc.wait_for_ready(timeout=60))

    def run(self, code: str) -> tuple[str, str]:
        """Run ``code``; return the reply's status and what it printed."""
        out = []

        def hook(msg):
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                out.append(f"{msg['content']['ename']}: {msg['content']['evalue']}\n")

        reply = self.loop.run_until_complete(
            self.kc.execute_interactive(textwrap.dedent(code), timeout=60, output_hook=hook))
        return reply["content"]["status"], "".join(out)

    def shutdown(self, now: bool = False) -> None:
        self.kc.stop_channels()
        self.loop.run_until_complete(self.km.shutdown_kernel(now=now))
        self.loop.close()


@pytest.fixture
def kernel():
    k = Kernel()
    yield k
    if k.km.has_kernel:
        k.shutdown(now=True)


def test_runs_as_a_uid_of_its_own_without_capabilities_in_its_own_folder(kernel):
    status, out = kernel.run("""
        import os
        print(os.getuid(), os.getgid(), os.getcwd(), sorted(os.listdir('.')))
        print(open('/proc/self/status').read().split('CapEff:')[1].split()[0])
    """)
    assert status == "ok"
    uid = kernel.km.uid if os.geteuid() == 0 else sandbox.NOBODY  # reserved for it alone as root
    assert out.split("\n")[:2] == [f"{uid} {uid} {sandbox.HOME} []", "0000000000000000"]
    if os.geteuid() == 0:
        assert uid in sandbox.SANDBOX_UIDS
        assert sandbox.reserve_uid()[0] != uid, "another kernel was given the same uid"


def test_cannot_read_the_course_outside_its_view(kernel, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("hidden tests")
    secret.chmod(0o644)
    for path in (ROOT / "source", secret, ROOT / "nbgrader_config.py"):
        assert path.exists()
        status, out = kernel.run(f"print(__import__('os').path.exists({str(path)!r}))")
        assert (status, out) == ("ok", "False\n"), path


def test_no_network_but_its_own_loopback(kernel):
    grader = socket.socket()  # a port of the grader's loopback, which the kernel must not reach
    grader.bind(("127.0.0.1", 0))
    grader.listen()
    grader.setblocking(False)
    port = grader.getsockname()[1]
    status, out = kernel.run(f"""
        import errno, socket
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:  # a UDP connect only looks up a route: it sends nothing
            udp.connect(("192.0.2.1", 9))
            print("route to the outside")
        except OSError as exc:
            print(errno.errorcode[exc.errno])
        if "route" not in locals():  # only with no route at all: a TCP connect to a TEST-NET address
            try:
                socket.create_connection(("192.0.2.1", 80), timeout=5)
            except OSError as exc:
                print(errno.errorcode[exc.errno])
        try:
            socket.create_connection(("127.0.0.1", {port}), timeout=5)
            print("reached the grader")
        except OSError as exc:
            print(errno.errorcode[exc.errno])
        own = socket.create_server(("127.0.0.1", 0))  # its own loopback still works
        peer = socket.create_connection(own.getsockname())
        print("own loopback", own.accept()[0].fileno() > 0)
    """)
    assert status == "ok"
    assert out.splitlines() == ["ENETUNREACH", "ENETUNREACH", "ECONNREFUSED", "own loopback True"]
    with pytest.raises(BlockingIOError):
        grader.accept()
    grader.close()


def test_writes_only_its_working_folder(kernel):
    targets = [sandbox.HOME + "/answer.txt", "/tmp/scratch.txt", "/x", "/usr/x",
               os.path.dirname(sandbox.__file__) + "/x", os.path.dirname(os.__file__) + "/x"]
    status, out = kernel.run(f"""
        import errno
        for path in {targets!r}:
            try:
                with open(path, "w") as f:
                    f.write("x")
                print("wrote", path)
            except OSError as exc:
                print(errno.errorcode[exc.errno], path)
    """)
    assert status == "ok"
    assert out.splitlines() == [f"wrote {targets[0]}", f"wrote {targets[1]}", "EACCES /x",
                                *[f"EROFS {path}" for path in targets[3:]]]
    # the working folder is a tmpfs: what the kernel wrote there never reaches the host's disk
    assert os.listdir(kernel.km.workdir) == [], os.listdir(kernel.km.workdir)


def live_in(namespace: str) -> list[int]:
    """Host pids of the processes (not zombies) in a PID namespace."""
    pids = []
    for link in glob.glob("/proc/[0-9]*/ns/pid"):
        pid = int(link.split("/")[2])
        try:
            if os.readlink(link) == namespace and _state(pid) != "Z":
                pids.append(pid)
        except OSError:
            pass  # gone meanwhile
    return pids


def _state(pid: int) -> str:
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0]


ESCAPER = """
    import os, subprocess, sys
    code = '''import os, signal, time
    if os.fork():
        os._exit(0)
    os.setsid()
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    print("detached", flush=True)
    time.sleep(10**6)
    '''
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    print(child.stdout.readline().strip(), os.readlink("/proc/self/ns/pid"))
"""


@pytest.mark.parametrize("now", [False, True], ids=["shutdown", "kill"])
def test_a_detached_child_ignoring_sigterm_dies_with_the_kernel(kernel, now):
    status, out = kernel.run(ESCAPER)
    word, namespace = out.split()
    assert (status, word) == ("ok", "detached")
    assert namespace != os.readlink("/proc/self/ns/pid")
    assert len(live_in(namespace)) == 2  # the kernel (PID 1 there) and the detached grandchild
    kernel.shutdown(now=now)
    assert live_in(namespace) == []


def test_limits_apply_to_the_kernel():
    kernel = Kernel(limits=Limits(file_size=1 << 20, processes=64))
    try:
        status, out = kernel.run("""
            import errno, resource
            print(resource.getrlimit(resource.RLIMIT_NPROC)[0], resource.getrlimit(resource.RLIMIT_FSIZE)[0])
            try:
                open("big.bin", "wb").write(b"x" * (2 << 20))
            except OSError as exc:
                print(errno.errorcode[exc.errno])
        """)
    finally:
        kernel.shutdown()
    assert (status, out.splitlines()) == ("ok", ["64 1048576", "EFBIG"])


def test_switched_off_it_says_so_loudly():
    with pytest.warns(SandboxUnavailable, match="KERNEL NOT SANDBOXED"):
        km = SandboxedKernelManager(kernel_name="python3", sandbox=False)
    assert not km.sandboxed


def test_raw_writes_to_fd_1_and_2_stay_out_of_the_grader(capfd, kernel):
    status, out = kernel.run("import os; os.write(1, b'RAW-OUT\\n'); os.write(2, b'RAW-ERR\\n')")
    captured = capfd.readouterr()
    assert status == "ok"
    assert "RAW-OUT" not in captured.out + captured.err
    assert "Ctrl-C will not work" not in captured.out
