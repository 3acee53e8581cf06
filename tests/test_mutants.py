"""Mutation testing of the exercises' tests (autograder/grading/mutant_*.py, CONTRIBUTING.md).

Three parts: the operators make the mutants they say, and only those; the runner judges a
cell as grading does and keeps mutants apart; and for every assignment, the recorded verdicts
are current, every mutant that is not equivalent is killed (or recorded as a known survivor),
a sample run now agrees with the records, and a sample agrees with ``python -m autograder check``.
"""

from __future__ import annotations

import ast
import hashlib
import json
import textwrap

import nbformat
import pytest

import submissions as subs
from autograder.grading import cli, course as grading, mutant_operators as ops, mutant_records, mutants
from autograder.grading.mutant_runner import DIED, NOT_STOPPED, STOPPED, Cell, Pool
from conftest import ASSIGNMENTS, ROOT


# -- operators -----------------------------------------------------------------------------

def mutated(source: str, operator: str | None = None) -> list[str]:
    """The mutants of ``source`` that compile, as code, from ``operator`` only if given."""
    source = textwrap.dedent(source)
    found = []
    for mutation in ops.mutations(source):
        if operator is None or mutation.operator == operator:
            code = ops.apply(source, mutation)
            try:
                compile(code, "<mutant>", "exec")
            except SyntaxError:
                continue
            found.append(code)
    return found


def test_comparisons_flip_at_their_boundary_and_constants_move_by_one():
    found = mutated("def f(x):\n    return x < 3\n")
    assert "def f(x):\n    return x <= 3\n" in found
    assert "def f(x):\n    return x < 4\n" in found and "def f(x):\n    return x < 2\n" in found
    assert mutated("def f(xs, n):\n    return xs[:n]\n", "off-by-one") == [
        "def f(xs, n):\n    return xs[:n + 1]\n", "def f(xs, n):\n    return xs[:n - 1]\n"]


def test_parentheses_are_added_only_where_the_code_needs_them():
    assert sorted(mutated("y = a * b + c\n", "arithmetic")) == ["y = a * b - c\n", "y = a / b + c\n"]
    assert sorted(mutated("y = a * (b + c)\n", "arithmetic")) == ["y = a * (b - c)\n", "y = a / (b + c)\n"]
    assert "y = (a <= b) + 1\n" in mutated("y = (a < b) + 1\n", "comparison")


def test_statements_that_release_cancel_close_or_notify_are_dropped_one_at_a_time():
    source = """
        async def work(lock, task, writer, cond):
            await lock.acquire()
            lock.release()
            task.cancel()
            writer.close()
            cond.notify_all()
            total = 1
            return total
        """
    dropped = mutated(source, "statement")
    for call in ("lock.release()", "task.cancel()", "writer.close()", "cond.notify_all()", "await lock.acquire()"):
        assert any(call not in m and m.count("pass") == 1 for m in dropped), call
    assert not any("total = 1" not in m for m in dropped), "a name binding is never dropped"


def test_awaits_yield_from_and_with_blocks_are_removed():
    assert mutated("async def f(x):\n    return await x\n", "await") == ["async def f(x):\n    return x\n"]
    assert mutated("def f(g):\n    yield from g\n", "yield-from-loop") == [
        "def f(g):\n    for _item in g:\n        yield _item\n"]
    assert mutated("async def f(lock, x):\n    async with lock as held:\n        await x\n        return 1\n", "with") == [
        "async def f(lock, x):\n    held = lock\n    await x\n    return 1\n"]


def test_while_and_if_swap_only_around_a_wait():
    source = "async def f(cond, ready):\n    while not ready():\n        await cond.wait()\n"
    assert mutated(source, "while-if") == ["async def f(cond, ready):\n    if not ready():\n        await cond.wait()\n"]
    assert mutated("def f(x):\n    while x:\n        x -= 1\n", "while-if") == []


def test_a_break_left_outside_any_loop_does_not_compile_and_is_skipped():
    source = "async def f(event):\n    while True:\n        await event.wait()\n        break\n"
    assert mutated(source, "while-if") == []
    anchor = mutants.Anchor("f", source, [], {})
    assert all("if True" not in m.source for m in mutants.make_mutants(anchor))


def test_a_return_moves_out_of_its_loop_and_into_the_loop_before_it():
    source = "def first(xs):\n    for x in xs:\n        if x:\n            return x\n    return None\n"
    found = mutated(source, "return-loop")
    assert "def first(xs):\n    for x in xs:\n        if x:\n            pass\n    return x\n    return None\n" in found
    assert "def first(xs):\n    for x in xs:\n        if x:\n            return x\n        return None\n    pass\n" in found


def test_finally_is_emptied_arguments_swap_and_except_catches_everything():
    source = "def f(a, b):\n    try:\n        return g(a, b)\n    except KeyError:\n        return 0\n    finally:\n        a.close()\n"
    assert any(m.endswith("    finally:\n        pass\n") for m in mutated(source, "finally"))
    assert any("g(b, a)" in m for m in mutated(source, "swap-arguments"))
    assert any("except BaseException:" in m for m in mutated(source, "except"))


def test_a_lock_is_held_across_the_next_await():
    source = "async def f(sem, job):\n    async with sem:\n        result = await job()\n    await asyncio.sleep(1)\n    return result\n"
    assert mutated(source, "held-across-await") == [
        "async def f(sem, job):\n    async with sem:\n        result = await job()\n        await asyncio.sleep(1)\n    return result\n"]


def test_a_slot_is_held_across_every_retry_of_a_loop():
    source = """
        async def get(sem, fetch):
            for _ in range(3):
                async with sem:  # one try at a time
                    page = await fetch()
                if page:
                    return page
        """
    assert mutated(source, "held-across-loop") == [textwrap.dedent("""
        async def get(sem, fetch):
            async with sem:
                for _ in range(3):
                    page = await fetch()
                    if page:
                        return page
        """)]


def test_gather_becomes_sequential_or_completion_ordered_and_back():
    source = "async def f(urls, get):\n    return await asyncio.gather(*(get(u) for u in urls))\n"
    assert "async def f(urls, get):\n    return [await get(u) for u in urls]\n" in mutated(source, "gather-sequential")
    assert mutated(source, "completion-order") == [
        "async def f(urls, get):\n    return [await _next for _next in asyncio.as_completed([get(u) for u in urls])]\n"]
    assert mutated("async def f(urls, get):\n    return [await get(u) for u in urls]\n", "gather-sequential") == [
        "async def f(urls, get):\n    return list(await asyncio.gather(*(get(u) for u in urls)))\n"]


def test_a_spawned_coroutine_is_awaited_in_place_and_a_thread_hand_off_blocks():
    source = """
        class Runner:
            async def _retry(self, job):
                await job()

            async def worker(self, job):
                self._spawn(self._retry(job))
                await asyncio.to_thread(print, job)
        """
    found = mutated(source)
    assert any("        await self._retry(job)\n" in m for m in found)
    assert any("        print(job)\n" in m for m in found)


def test_mutant_ids_are_the_same_on_every_python():
    """The records are made on one version and checked on 3.11 to 3.14: the dump behind ids
    and digests leaves out what versions differ in (3.12's type_params, 3.12.1's f-strings)."""
    tree = ast.parse("def f(x, w):\n    return f'{x:<{w}}'\n")
    assert mutants.dump(tree) == (
        "Module(body=[FunctionDef(name='f', args=arguments(args=[arg(arg='x'), arg(arg='w')]), "
        "body=[Return(value=JoinedStr(values=[FormattedValue(value=Name(id='x', ctx=Load()), "
        "conversion=-1, format_spec=JoinedStr(values=[Constant(value='<'), "
        "FormattedValue(value=Name(id='w', ctx=Load()), conversion=-1)]))]))])])"), mutants.dump(tree)


def test_mutant_ids_depend_on_the_code_not_on_comments_or_layout():
    plain = mutants.Anchor("f", "def f(x):\n    return x + 1\n", [], {})
    commented = mutants.Anchor("f", "def f(x):  # one more\n\n    return (x + 1)\n", [], {})
    ids = [m.id for m in mutants.make_mutants(plain)]
    assert ids == [m.id for m in mutants.make_mutants(commented)]
    assert len(set(ids)) == len(ids)


# -- the runner ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pool():
    with Pool(1, ["asyncio", "autograder.vtime"], cell_timeout=2, interrupt_grace=1) as pool:
        yield pool


def judge(pool: Pool, *sources: str, stop_at_first: bool = False):
    """Run ``sources`` as cells (the first is an ungraded set-up cell, the rest graded)."""
    cells = [Cell("setup", "import asyncio, os, subprocess, sys, threading, time, warnings")]
    cells += [Cell(f"t-{i}", textwrap.dedent(s), graded=True) for i, s in enumerate(sources)]
    [(_, outcome)] = list(pool.run([cells], stop_at_first=stop_at_first))
    assert not outcome.error, outcome.error
    return outcome


def test_a_test_cell_fails_on_an_error_or_on_anything_written_to_stderr(pool):
    outcome = judge(
        pool,
        "assert 1 + 1 == 2",
        "assert 1 + 1 == 3, 'arithmetic'",
        "print('to stdout is fine')",
        "print('oops', file=sys.stderr)",
        "warnings.warn('a warning costs the cell')",
        "subprocess.run([sys.executable, '-c', 'import os; os.write(2, b\"child\")'])",
        "t = threading.Thread(target=lambda: print('thread', file=sys.stderr)); t.start(); t.join()",
    )
    assert outcome.passed == ["t-0", "t-2"]
    assert outcome.failed == {
        "t-1": "AssertionError: arithmetic", "t-3": "wrote to stderr: oops",
        "t-4": "wrote to stderr: " + outcome.failed["t-4"].split(": ", 1)[1],
        "t-5": "wrote to stderr: child", "t-6": "wrote to stderr: thread"}
    assert "UserWarning: a warning costs the cell" in outcome.failed["t-4"]


def test_cells_run_as_in_ipykernel_inside_a_running_event_loop(pool):
    outcome = judge(
        pool,
        "assert asyncio.get_running_loop().is_running()",
        "coro = asyncio.sleep(0)\ntry:\n    asyncio.run(coro)\nexcept RuntimeError:\n    coro.close()\n"
        "else:\n    raise AssertionError('asyncio.run ran inside the kernel loop')",
        "assert get_ipython() is not None and __name__ == '__main__'",
        "await asyncio.sleep(0)\nreached = True",
        "assert reached",
    )
    assert outcome.failed == {} and len(outcome.passed) == 5


def test_a_runaway_cell_is_stopped_at_the_time_limit_and_the_next_cells_run(pool):
    outcome = judge(pool, "while True:\n    pass", "assert True")
    assert outcome.failed == {"t-0": STOPPED.format(limit=2)} and outcome.passed == ["t-1"]


def test_a_cell_that_ignores_the_interrupt_and_a_crash_stop_the_kernel(pool):
    stubborn = "while True:\n    try:\n        time.sleep(5)\n    except KeyboardInterrupt:\n        pass"
    outcome = judge(pool, stubborn, "assert True")
    assert outcome.failed["t-0"] == NOT_STOPPED.format(limit=2), outcome.failed
    assert "t-1" in outcome.failed and not outcome.passed
    outcome = judge(pool, "assert True", "os._exit(3)", "assert True")
    assert outcome.passed == ["t-0"] and outcome.failed["t-1"] == DIED


def test_a_mutant_leaves_nothing_behind_for_the_next_one(pool, tmp_path):
    pid_file = tmp_path / "pid"
    messy = f"""
        import autograder.vtime
        autograder.vtime.WALL_LIMIT = 0.001
        os.environ["LEFT_BY_A_MUTANT"] = "1"
        open("left.txt", "w").write("x")
        threading.Thread(target=lambda: (time.sleep(0.3), print("late", file=sys.stderr)), daemon=True).start()
        child = subprocess.Popen(["sleep", "60"])
        open({str(pid_file)!r}, "w").write(str(child.pid))
        """
    assert not judge(pool, messy).failed
    outcome = judge(pool, """
        import autograder.vtime
        assert autograder.vtime.WALL_LIMIT == 5.0, autograder.vtime.WALL_LIMIT
        assert "LEFT_BY_A_MUTANT" not in os.environ
        assert os.listdir(".") == [], os.listdir(".")
        time.sleep(0.6)
        """)
    assert not outcome.failed, outcome.failed
    pid = int(pid_file.read_text())
    try:
        state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        state = "gone"
    assert state in ("gone", "Z", "X"), f"the mutant's child process is still {state}"


# -- a course of one small assignment: the check can fail, and says why -------------------

SETUP = "import asyncio\nfrom autograder import vtime\n"
CLAMP = """def clamp(x, lo, hi):
    ### BEGIN SOLUTION
    if lo > hi:
        raise ValueError("lo > hi")
    if x < lo:
        return lo
    return min(x, hi)
    ### END SOLUTION
"""
WEAK = {"clamp-check": "assert clamp(5, 0, 10) == 5, clamp(5, 0, 10)"}
SHARP = WEAK | {
    "clamp-bounds": "for args, want in [((-1, 0, 10), 0), ((11, 0, 10), 10), ((3, 3, 3), 3)]:\n"
                    "    assert clamp(*args) == want, (args, clamp(*args))",
    "clamp-errors": "try:\n    clamp(1, 2, 1)\nexcept ValueError:\n    pass\n"
                    "else:\n    raise AssertionError('lo > hi must raise ValueError')",
}
# What no test of SHARP tells from the reference: for x == lo, returning lo is returning x.
EQUIVALENT = {"x < lo: `<` -> `<=`": "same-behaviour: when x == lo, lo is x"}


def demo_course(tmp_path, tests: dict[str, str]):
    """A course with one assignment, 99-demo: the anchor clamp and the given test cells."""
    def cell(grade_id, source, **flags):
        meta = {"grade_id": grade_id, "schema_version": 3, "grade": False, "solution": False,
                "locked": False, "task": False} | flags
        return nbformat.v4.new_code_cell(source, metadata={"nbgrader": meta}, id=grade_id)

    nb = nbformat.v4.new_notebook()
    nb.cells = [cell("setup", SETUP, locked=True), cell("clamp", CLAMP, solution=True)]
    nb.cells += [cell(g, s, grade=True, locked=True, points=1) for g, s in tests.items()]
    folder = tmp_path / "source" / "99-demo"
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / "99-demo.ipynb")
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.Execute.timeout = 3\n")
    (tmp_path / "tests" / "mutants").mkdir(parents=True, exist_ok=True)
    return mutants.load(tmp_path, "99-demo")


def record_verdicts(assignment) -> mutant_records.Score:
    baseline, verdicts = mutants.run(assignment, mutants.score(assignment).all, workers=1,
                                     anchors=assignment.anchors)
    assert baseline.ok, baseline.failed
    mutant_records.write_verdicts(assignment, {a: {m.id: verdicts[m.id] for m in found}
                                               for a, found in assignment.mutants().items()})
    return mutants.score(assignment)


def write_records(assignment, *tables: str) -> None:
    (assignment.records / "99-demo.toml").write_text("\n\n".join(tables) + "\n")


def test_the_check_fails_and_names_the_survivors_of_a_weak_test(tmp_path):
    assignment = demo_course(tmp_path, WEAK)
    score = record_verdicts(assignment)
    assert score.killed and score.survivors
    _, problems = mutants.verify(tmp_path, "99-demo", live=2)
    survivors = [p for p in problems if p.startswith("a survivor that is not recorded")]
    assert len(survivors) == len(score.survivors) == len(problems), problems
    dropped_raise = [p for p in survivors if '-        raise ValueError("lo > hi")\n+        pass' in p]
    assert not [p for p in problems if "-> ''" in p], "an error's message is never mutated"
    assert dropped_raise, "\n".join(survivors)


def equivalent_tables(score) -> list[str]:
    return [f'[[equivalent]]\nmutant = "{m.id}"\nchange = {json.dumps(m.description)}\n'
            f'reason = {json.dumps(EQUIVALENT[m.description])}' for m in score.all if m.description in EQUIVALENT]


def test_a_sharp_test_kills_every_mutant_but_the_recorded_equivalents(tmp_path):
    assignment = demo_course(tmp_path, SHARP)
    score = record_verdicts(assignment)
    assert sorted(m.description for m in score.survivors) == sorted(EQUIVALENT)
    write_records(assignment, *equivalent_tables(score))
    score, problems = mutants.verify(tmp_path, "99-demo", live=2)
    assert problems == [] and score.complete
    assert sorted(m.description for m in score.equivalent) == sorted(EQUIVALENT)


def test_stale_wrong_and_killed_records_are_reported(tmp_path):
    assignment = demo_course(tmp_path, SHARP)
    record_verdicts(assignment)
    killed = mutants.score(assignment).killed[0]
    write_records(assignment,
                  '[[equivalent]]\nmutant = "clamp/0000000000"\nchange = "gone"\nreason = "redundant: it was"',
                  f'[[equivalent]]\nmutant = "{killed.id}"\nchange = "x"\nreason = "no kind given"',
                  '[[survivor]]\nmutant = "clamp/1111111111"\nchange = "gone too"\nnote = "issue 20"')
    _, problems = mutants.verify(tmp_path, "99-demo", live=0)
    text = "\n".join(problems)
    assert "stale record: clamp/0000000000" in text and "stale record: clamp/1111111111" in text
    assert f"{killed.id} is recorded as equivalent but" in text
    assert "the reason must be '<kind>: <why>'" in text
    demo_course(tmp_path, SHARP | {"clamp-types": "assert clamp(1.5, 0, 2) == 1.5"})
    _, problems = mutants.verify(tmp_path, "99-demo", live=0)
    assert any("recorded verdicts of clamp are stale" in p for p in problems), problems


def test_comments_in_the_cells_leave_the_verdicts_current_and_code_does_not(tmp_path):
    assignment = demo_course(tmp_path, SHARP)
    record_verdicts(assignment)
    commented = {grade_id: f"# {grade_id}: reworded\n{source}  # why" for grade_id, source in SHARP.items()}
    demo_course(tmp_path, commented)
    assert not [p for p in mutants.verify(tmp_path, "99-demo", live=0)[1] if "stale" in p]
    demo_course(tmp_path, SHARP | {"clamp-check": "assert clamp(6, 0, 10) == 6"})
    assert [p for p in mutants.verify(tmp_path, "99-demo", live=0)[1] if "verdicts of clamp are stale" in p]


def test_a_known_survivor_is_not_a_failure_but_must_go_once_killed(tmp_path):
    assignment = demo_course(tmp_path, WEAK)
    score = record_verdicts(assignment)
    write_records(assignment, *(f'[[survivor]]\nmutant = "{m.id}"\nchange = "{m.operator}"\nnote = "issue 20"'
                                for m in score.survivors if m.description not in EQUIVALENT),
                  *equivalent_tables(score))
    score, problems = mutants.verify(tmp_path, "99-demo", live=2)
    assert problems == [] and score.ok and not score.complete
    assignment = demo_course(tmp_path, SHARP)
    record_verdicts(assignment)
    _, problems = mutants.verify(tmp_path, "99-demo", live=0)
    assert any("is recorded as survivor but clamp-errors kills it now" in p for p in problems), problems


def test_the_runner_reads_the_cell_time_limit_as_nbgrader_does():
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config(PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config())
    assert mutants.load(ROOT, ASSIGNMENTS[0]).cell_timeout == config.Execute.timeout


# -- the course's assignments --------------------------------------------------------------

@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_mutant_that_is_not_equivalent_is_killed(assignment):
    """Recorded verdicts current, records right, two verdicts re-run now, and no survivor:
    every mutant is killed or recorded as equivalent (a known survivor is still a failure)."""
    score, problems = mutants.verify(ROOT, assignment, live=2)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    known = [f"{m.id} ({m.description})\n{m.diff()}" for m in score.survivors]
    assert score.complete, f"{len(known)} survivors to kill or record as equivalent:\n" + "\n".join(known)


def _agreement_sample() -> tuple[str, list[mutants.Mutant]]:
    """One assignment, chosen by a digest of all the mutants (so it moves when they change),
    and one mutant of each of its anchors, a recorded survivor or equivalent for every other
    anchor that has one."""
    every = {name: mutants.load(ROOT, name) for name in ASSIGNMENTS}
    found = {name: a.mutants() for name, a in every.items()}
    digest = hashlib.sha256(json.dumps(sorted(m.id for f in found.values() for ms in f.values() for m in ms)).encode())
    name = sorted(ASSIGNMENTS, key=lambda n: hashlib.sha256((digest.hexdigest() + n).encode()).hexdigest())[0]
    recorded, _ = mutant_records.recorded_verdicts(every[name], found[name])
    chosen = []
    for index, (anchor, candidates) in enumerate(found[name].items()):
        alive = [m for m in candidates if m.id in recorded and not recorded[m.id].killed]
        chosen += mutants.sample(alive if alive and index % 2 else candidates, 1, name)
    return name, chosen


@pytest.mark.pipeline
@pytest.mark.xdist_group("mutants-check")
def test_the_runner_agrees_with_check_on_a_sample_of_mutants(tmp_path, capsys):
    name, chosen = _agreement_sample()
    assignment = mutants.load(ROOT, name)
    grading.empty_gradebook(tmp_path / "gradebook.db")
    course = grading.scratch_course(ROOT, tmp_path / "course", [name])
    assert all(o.ok for o in course.release([name]))
    release = nbformat.read(course.root / "release" / name / f"{name}.ipynb", as_version=4)
    source = nbformat.read(ROOT / "source" / name / f"{name}.ipynb", as_version=4)
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(subs.fill(release, subs.reference_answers(source) | {m.anchor: m.source for m in chosen}), path)
    cli.main(["--course", str(ROOT), "check", str(path)])
    lines = capsys.readouterr().out.splitlines()
    failing_in_check = {line.split()[1] for line in lines if line.startswith("FAIL")}
    with Pool(2, assignment.preload, cell_timeout=assignment.cell_timeout) as pool:
        jobs = [assignment.anchors[m.anchor].with_answer(m.source) for m in chosen]
        runner = {chosen[i].anchor: outcome for i, outcome in pool.run(jobs, stop_at_first=False)}
    for mutant in chosen:
        outcome = runner[mutant.anchor]
        assert not outcome.error, outcome.error
        in_check = {c for c in failing_in_check if c.split("-")[0] == mutant.anchor}
        assert set(outcome.failed) == in_check, (
            f"{mutant.id} ({mutant.description}): the runner failed {sorted(outcome.failed)}, "
            f"check failed {sorted(in_check)}\n{mutant.diff()}\n" + "\n".join(lines))
    assert all(c.split("-")[0] in runner for c in failing_in_check), "\n".join(lines)
