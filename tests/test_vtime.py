import asyncio
import contextlib
import logging
import re
import subprocess
import sys
import threading
import time
import traceback
import weakref

import pytest
from jupyter_client.manager import start_new_kernel

from autograder import vtime


async def sleepy(seconds, value=None):
    await asyncio.sleep(seconds)
    return value


def test_concurrent_sleeps_take_the_longest_one():
    async def main():
        return await asyncio.gather(*(sleepy(2, i) for i in range(10)))

    run = vtime.run(main)
    assert run.result == list(range(10))
    assert run.elapsed == 2.0


def test_sequential_sleeps_add_up():
    async def main():
        return [await sleepy(2, i) for i in range(10)]

    assert vtime.run(main).elapsed == 20.0


def test_accepts_a_coroutine_or_a_function_with_arguments():
    assert vtime.run(sleepy(1.5, "a")).result == "a"
    assert vtime.run(sleepy, 1.5, value="b").result == "b"
    with pytest.raises(TypeError):
        vtime.run(sleepy(1), 2)
    with pytest.raises(TypeError):
        vtime.run(lambda: 42)


def test_exceptions_come_back_as_themselves():
    class Custom(Exception):
        pass

    async def fails():
        await asyncio.sleep(1)
        raise Custom("boom")

    with pytest.raises(Custom, match="boom"):
        vtime.run(fails)


def test_reports_and_cancels_tasks_left_pending():
    cancelled = []

    async def forgotten():
        try:
            await asyncio.sleep(100)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    async def leaky():
        asyncio.create_task(forgotten(), name="forgotten")
        await asyncio.sleep(1)
        return "done"

    run = vtime.run(leaky)
    assert (run.result, run.elapsed, run.pending) == ("done", 1.0, ["forgotten"])
    assert cancelled == [True]


def test_loop_errors_are_collected_not_printed(capsys):
    async def main():
        async def boom():
            raise ValueError("never retrieved")

        task = asyncio.create_task(boom())
        await asyncio.sleep(0.1)
        del task

    run = vtime.run(main)
    import gc

    gc.collect()
    assert capsys.readouterr().err == ""
    assert all("never retrieved" in e for e in run.loop_errors)


def test_time_sleep_on_the_virtual_loop_is_refused_with_a_hint():
    async def blocking():
        time.sleep(0.01)

    with pytest.raises(vtime.BlockingCallError, match="asyncio.sleep"):
        vtime.run(blocking)
    assert time.sleep is vtime._real_sleep


def test_time_sleep_in_worker_threads_still_works():
    async def main():
        await asyncio.to_thread(time.sleep, 0.001)
        return "ok"

    assert vtime.run(main).result == "ok"


def test_runaway_virtual_time_is_stopped():
    async def forever():
        while True:
            await asyncio.sleep(60)

    with pytest.raises(vtime.VirtualTimeLimitError):
        vtime.run(forever, virtual_limit=3600)


def test_a_blocked_loop_is_reported_instead_of_hanging():
    async def busy():
        while True:
            pass

    with pytest.raises(vtime.BlockedLoopError, match="keeps the event loop busy"):
        vtime.run(busy, wall_limit=0.2)


def test_works_inside_a_running_loop_patched_by_nest_asyncio2():
    code = """
import asyncio, nest_asyncio2
from autograder import vtime
nest_asyncio2.apply()
async def kernel_cell():
    async def fetch(i):
        await asyncio.sleep(2)
        return i
    async def main():
        return await asyncio.gather(*(fetch(i) for i in range(10)))
    run = vtime.run(main)
    print(run.result == list(range(10)), run.elapsed)
asyncio.run(kernel_cell())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "2.0"]
    assert out.stderr == ""


@pytest.mark.parametrize("body", ["while True:\n        pass", "while True:\n        await asyncio.sleep(0)"])
def test_a_runaway_run_is_stopped_so_it_stops_using_the_cpu(body):
    namespace = {"asyncio": asyncio}
    exec(f"async def runaway():\n    {body}", namespace)
    with pytest.raises(vtime.BlockedLoopError):
        vtime.run(namespace["runaway"], wall_limit=0.2)
    assert not [t for t in threading.enumerate() if t.name == "autograder-worker"]


def test_call_runs_a_plain_function_under_the_same_guards():
    assert vtime.call(sorted, [3, 1, 2], reverse=True) == [3, 2, 1]
    with pytest.raises(ZeroDivisionError):
        vtime.call(lambda: 1 / 0)
    with pytest.raises(vtime.BlockingCallError, match=r"time.sleep\(0.5\) in the loop: no"):
        vtime.call(lambda: time.sleep(0.5), sleep_hint="in the loop: no")
    assert time.sleep is vtime._real_sleep


def test_call_stops_a_function_that_never_returns():
    def spin():
        while True:
            pass

    with pytest.raises(vtime.BlockedLoopError, match="0.2 s of real time: run.. must return"):
        vtime.call(spin, wall_limit=0.2, busy_hint="run() must return")
    assert not [t for t in threading.enumerate() if t.name == "autograder-worker"]


def test_log_records_go_to_the_run_not_to_stderr(capsys, bare_root):
    async def main():
        logging.getLogger("some.library").warning("late reply to %r ignored", "ping")
        logging.getLogger("some.library").info("not even created: below WARNING")
        await asyncio.sleep(1)
        return "ok"

    original = logging.lastResort
    with bare_root():  # as in a kernel: no handler at all
        run = vtime.run(main)
        assert run.result == "ok"
        assert run.logs == ["WARNING some.library: late reply to 'ping' ignored"]
        assert capsys.readouterr().err == ""
        assert logging.lastResort is original
        logging.getLogger("some.library").warning("outside a run: printed as usual")
        assert "outside a run" in capsys.readouterr().err


def test_a_wait_on_a_real_socket_does_not_hold_virtual_time_back():
    import socket

    left, right = socket.socketpair()
    left.setblocking(False)

    async def read_nothing_yet():
        return await asyncio.get_running_loop().sock_recv(left, 10)

    with left, right, pytest.raises(vtime.VirtualTimeLimitError):
        vtime.run(read_nothing_yet, virtual_limit=60)


def test_a_real_loop_waits_for_other_threads_with_the_same_guards():
    async def handed_over():
        loop = asyncio.get_running_loop()
        answer = loop.create_future()
        threading.Thread(target=lambda: loop.call_soon_threadsafe(answer.set_result, "from a thread")).start()
        return await answer

    run = vtime.run(handed_over, virtual=False)
    assert run.result == "from a thread" and run.pending == []

    async def blocking():
        time.sleep(0.01)

    with pytest.raises(vtime.BlockingCallError):
        vtime.run(blocking, virtual=False)


def test_debug_mode_catches_a_loop_method_called_from_the_wrong_thread():
    async def unsafe():
        loop = asyncio.get_running_loop()
        errors = []

        def from_a_thread():
            try:
                loop.call_soon(print, "never")
            except RuntimeError as exc:
                errors.append(str(exc))

        await asyncio.to_thread(from_a_thread)
        return errors

    [message] = vtime.run(unsafe, virtual=False, debug=True).result
    assert "thread" in message


def test_the_default_executor_is_shut_down_after_a_run():
    async def main():
        return await asyncio.to_thread(sum, [1, 2, 3])

    assert vtime.run(main).result == 6
    assert not [t for t in threading.enumerate() if t.name.startswith("asyncio_")]


def test_a_failed_run_lets_go_of_its_frames():
    # What a failing answer's frames held (coroutines it never awaited, say) is freed when
    # the run raises, so any warning lands in the failing cell, not in a later one.
    class Held:
        pass

    refs = []

    async def fails():
        held = Held()
        refs.append(weakref.ref(held))
        raise ValueError("wrong answer")

    with pytest.raises(ValueError):
        vtime.run(fails)
    assert refs[0]() is None, "the failed run's locals are still alive"


# --- What a learner sees: IPython's own traceback, in a real kernel -----------------------

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def kernel():
    km, kc = start_new_kernel(kernel_name="python3")
    kc.execute_interactive("import asyncio, gc, logging, time\nfrom autograder import vtime", timeout=60)
    yield kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def in_kernel(kc, code: str) -> tuple[str, str]:
    """Run a cell; return its formatted traceback (no colours; "" when it raised nothing)
    and what it wrote to stderr."""
    seen = {"traceback": "", "stderr": ""}

    def keep(msg):
        content = msg["content"]
        if msg["msg_type"] == "error":
            seen["traceback"] = ANSI.sub("", "\n".join(content["traceback"]))
        elif msg["msg_type"] == "stream" and content["name"] == "stderr":
            seen["stderr"] += content["text"]

    kc.execute_interactive(code, output_hook=keep, timeout=60)
    return seen["traceback"], seen["stderr"]


COURSE_FRAMES = ("vtime.py", "base_events.py", "threading.py")

RAISING = {
    "an answer that raises": (
        'async def answer():\n    await asyncio.sleep(1)\n    raise ValueError("wrong: 41")\n'
        "vtime.run(answer)",
        'raise ValueError("wrong: 41")', "ValueError: wrong: 41"),
    "a plain call that raises": (
        "def answer():\n    return 1 / 0\nvtime.call(answer)",
        "return 1 / 0", "ZeroDivisionError: division by zero"),
    "time.sleep on the loop": (
        "async def answer():\n    time.sleep(0.5)\nvtime.run(answer)",
        "time.sleep(0.5)", "BlockingCallError: time.sleep(0.5) blocks the event loop"),
    "a loop that never returns": (
        "async def answer():\n    while True:\n        pass\nvtime.run(answer, wall_limit=0.3)",
        "while True:", "BlockedLoopError: still running after 0.3 s of real time"),
    "a run past its virtual limit": (
        "async def answer():\n    while True:\n        await asyncio.sleep(60)\n"
        "vtime.run(answer, virtual_limit=600)",
        "await asyncio.sleep(60)", "VirtualTimeLimitError: still running after 600"),
}


@pytest.mark.parametrize("cell, line, message", RAISING.values(), ids=RAISING)
def test_a_learners_traceback_shows_their_line_and_the_error_not_the_course(kernel, cell, line, message):
    shown, stderr = in_kernel(kernel, cell)
    assert message in shown, f"the error is not shown:\n{shown}"
    assert f"---> {cell.count(chr(10)) + 1} {cell.splitlines()[-1]}" in shown, f"no cell line:\n{shown}"
    assert line in shown.split("[... skipping hidden")[-1], f"the learner's line is not shown:\n{shown}"
    assert not [name for name in COURSE_FRAMES if name in shown], f"course frames shown:\n{shown}"
    assert len(shown) < 1000, f"{len(shown)} characters:\n{shown}"
    assert stderr == ""


def test_an_abandoned_run_writes_nothing_to_stderr_in_a_later_cell(kernel):
    # A polling answer is stopped at the wall limit with a task still waiting; its finally
    # block calls the (soon closed) loop. It used to run, and print "Exception ignored in ...
    # Event loop is closed", whenever a later cell collected garbage.
    shown, stderr = in_kernel(kernel, """
async def submit_all():
    loop = asyncio.get_running_loop()
    async def job():
        try:
            await asyncio.sleep(1000)
        finally:
            loop.call_soon(print, "too late")
    task = asyncio.create_task(job())
    while not task.done():
        await asyncio.sleep(0.01)
vtime.run(submit_all, wall_limit=1)""")
    assert "are you polling?" in shown and stderr == "", (shown, stderr)
    shown, stderr = in_kernel(kernel, 'raise KeyError("IPython lets go of the last error")')
    assert "KeyError" in shown and stderr == ""
    for later in ("gc.collect()", "async def fine():\n    await asyncio.sleep(1)\nvtime.run(fine)"):
        assert in_kernel(kernel, later) == ("", ""), later


def test_log_records_cost_nothing_in_the_kernel_and_leave_no_handler(kernel):
    # The reviewed answers: logging.warning() (it runs basicConfig()) inside the run, and
    # basicConfig(level=INFO) in the answer cell itself.
    answer = """
async def answer():
    logging.warning("late reply to %r dropped", "ping")
    logging.getLogger("lib").info("retrying")
"""
    late = "WARNING root: late reply to 'ping' dropped"
    assert in_kernel(kernel, answer + f"""
run = vtime.run(answer)
assert run.logs == [{late!r}], run.logs
assert logging.getLogger().handlers == [], "a handler outlived the run"
""") == ("", "")
    assert in_kernel(kernel, "logging.basicConfig(level=logging.INFO)\n" + answer) == ("", "")
    assert in_kernel(kernel, f"""
run = vtime.run(answer)
assert run.logs == [{late!r}, "INFO lib: retrying"], run.logs
assert len(logging.getLogger().handlers) == 1, "the learner's handler is gone"
""") == ("", "")
    shown, stderr = in_kernel(kernel, 'logging.getLogger("lib").info("outside a run")')
    assert (shown, stderr) == ("", "INFO:lib:outside a run\n"), "the learner's own logging stopped"


# --- Tracebacks in plain Python, an abandoned run, log records, polling ------------------

def test_an_error_comes_back_with_a_traceback_that_starts_at_the_learners_code():
    async def fails():
        await asyncio.sleep(1)
        raise ValueError("wrong")

    with pytest.raises(ValueError) as caught:
        vtime.run(fails)
    names = [frame.name for frame in traceback.extract_tb(caught.value.__traceback__)]
    assert names[-1] == "fails" and "_timed" not in names and "run_until_complete" not in names, names


def test_a_stopped_run_is_closed_at_once_not_later():
    finished = []

    async def polls():
        async def job():
            try:
                await asyncio.sleep(1000)
            finally:
                finished.append("job")

        task = asyncio.create_task(job())
        try:
            while not task.done():
                await asyncio.sleep(0.01)
        finally:
            finished.append("main")

    with pytest.raises(vtime.BlockedLoopError):
        vtime.run(polls, wall_limit=0.5)
    assert sorted(finished) == ["job", "main"], f"finally blocks run: {finished}"


def test_a_loop_that_polls_is_told_so():
    async def polls():
        done = asyncio.Event()
        asyncio.get_running_loop().call_later(1000, done.set)
        while not done.is_set():
            await asyncio.sleep(0.01)

    with pytest.raises(vtime.BlockedLoopError, match=r"woke up [\d,]+ times for short sleeps "
                       r"\(every 0.01 s on average\): are you polling\?") as caught:
        vtime.run(polls, wall_limit=1)
    assert traceback.extract_tb(caught.value.__traceback__)[-1].line == "await asyncio.sleep(0.01)"


def test_a_callback_that_never_returns_is_not_called_polling():
    def never_returns():
        while True:
            pass

    async def sleeps_then_blocks():
        for _ in range(vtime.POLLING_WAKEUPS + 10):
            await asyncio.sleep(0.01)
        asyncio.get_running_loop().call_soon(never_returns)
        await asyncio.sleep(1)

    with pytest.raises(vtime.BlockedLoopError, match="keeps the event loop busy") as caught:
        vtime.run(sleeps_then_blocks, wall_limit=1.5)
    assert "polling" not in str(caught.value)
    assert traceback.extract_tb(caught.value.__traceback__)[-1].name == "never_returns"


@pytest.fixture
def bare_root():
    """The root logger as in a fresh kernel: no handler, level WARNING. (pytest adds its own
    handlers for the test's call, after the fixtures: they are taken away, then put back.)"""

    @contextlib.contextmanager
    def bare():
        root = logging.getLogger()
        handlers, level = root.handlers[:], root.level
        root.handlers.clear()
        root.setLevel(logging.WARNING)
        try:
            yield root
        finally:
            root.handlers[:] = handlers
            root.setLevel(level)

    return bare


def test_logging_warning_goes_to_the_run_and_its_handler_does_not_stay(bare_root, capsys):
    async def main():
        logging.warning("late reply to %r dropped", "ping")  # runs basicConfig() first
        await asyncio.sleep(1)

    with bare_root() as root:
        run = vtime.run(main)
        assert root.handlers == [], "basicConfig's handler outlived the run"
    assert run.logs == ["WARNING root: late reply to 'ping' dropped"]
    assert capsys.readouterr().err == ""


def test_basic_config_in_a_run_is_undone_after_it(bare_root, capsys):
    async def main():
        logging.basicConfig(level=logging.INFO)
        logging.getLogger("lib").info("retrying in %s s", 2)
        try:
            1 / 0
        except ZeroDivisionError:
            logging.getLogger("lib").exception("gave up")

    with bare_root() as root:
        run = vtime.run(main)
        assert (root.handlers, root.level) == ([], logging.WARNING)
    assert run.logs == ["INFO lib: retrying in 2 s",
                        "ERROR lib: gave up (ZeroDivisionError('division by zero'))"]
    assert capsys.readouterr().err == ""


def test_handlers_set_up_before_a_run_stay_and_work_outside_it(bare_root):
    seen = []
    handler = logging.Handler()
    handler.emit = lambda record: seen.append(record.getMessage())

    async def main():
        logging.getLogger("lib").warning("inside the run")

    with bare_root() as root:
        root.addHandler(handler)
        assert vtime.run(main).logs == ["WARNING lib: inside the run"]
        logging.getLogger("lib").warning("outside the run")
        assert seen == ["outside the run"] and root.handlers == [handler]
    assert logging.Logger.callHandlers is vtime._call_handlers


def test_importing_vtime_leaves_pytest_out_and_looptime_whole():
    """Every kernel imports vtime: looptime's optional pytest fixture must not pull pytest in."""
    code = ("import sys, autograder.vtime as v; "
            "print('pytest' in sys.modules, sys.modules.get('pytest', 'absent'), callable(v.looptime.new_event_loop))")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert shown.stdout.split() == ["False", "absent", "True"], shown.stdout + shown.stderr


def test_what_a_running_coroutine_awaits_is_never_asked():
    """On 3.11 and 3.12 ``cr_await`` of a running coroutine reads its unsaved value stack (a
    segfault, seen once): a blocked run is described from its thread's stack instead."""
    class Running:
        cr_running = True
        cr_frame = sys._getframe()

        @property
        def cr_await(self):
            raise AssertionError("cr_await of a running coroutine was read")

    assert vtime._awaiting(Running()) == [], "a running coroutine is not suspended anywhere"

    async def suspended():
        await asyncio.sleep(0)

    coro = suspended()
    coro.send(None)  # now suspended in asyncio.sleep(0)
    try:
        names = [f.f_code.co_name for f in vtime._awaiting(coro)]
        assert names[:2] == ["suspended", "sleep"], f"expected the frames down to asyncio.sleep, got {names}"
    finally:
        coro.close()
