"""Generator tools for chapters 02 and 03: the averager, a recording subgenerator, and checks.

``compare(delegate, script)`` runs the same steps (``next``, ``send``, ``throw``,
``close``) on a hand-written delegating generator and on real ``yield from``, each over a
fresh :func:`recorder` subgenerator, so the two can be put side by side.
``uses_yield_from(func)`` tells whether a function's own code contains ``yield from``.
"""

from __future__ import annotations

import ast
import dis
import inspect
import textwrap
import warnings
from collections.abc import Callable, Generator, Iterable
from typing import Any, NamedTuple


class Result(NamedTuple):
    """What :func:`averager` returns when it ends."""

    count: int
    average: float | None


def averager() -> Generator[float | None, float | None, Result]:
    """Chapter 02's coroutine: after ``next()``, send numbers and get the running average back;
    send ``None`` to finish, and it returns ``Result(count, average)`` in ``StopIteration.value``."""
    total = 0.0
    count = 0
    average = None
    while True:
        term = yield average
        if term is None:
            break
        total += term
        count += 1
        average = total / count
    return Result(count, average)


def reference_delegate(subgen: Generator) -> Generator:
    """Real ``yield from``: what a hand-written delegating generator imitates."""
    return (yield from subgen)


def recorder(log: list[str]) -> Generator[int, Any, tuple[str, int]]:
    """A subgenerator that writes into ``log`` everything that reaches it.

    It yields the running total of the numbers sent to it (``next()`` adds nothing).
    Sending ``"end"`` makes it return ``("total", total)``. A ``ValueError`` thrown in is
    caught: it yields -1 and carries on. A ``LookupError`` thrown in makes it return
    ``("stopped", total)``. Any other exception ends it with that exception.
    """
    log.append("started")
    total = reply = 0
    try:
        while True:
            try:
                received = yield reply
            except ValueError as exc:
                log.append(f"caught {exc!r}")
                reply = -1
                continue
            except LookupError as exc:
                log.append(f"stopped by {exc!r}")
                return ("stopped", total)
            log.append(f"received {received!r}")
            if received == "end":
                return ("total", total)
            if received is not None:
                total += received
            reply = total
    except GeneratorExit:
        log.append("closed")
        raise
    finally:
        log.append("finally")


Step = tuple  # ("next",), ("send", value), ("throw", ExceptionType, "message"), ("close",)


def run_script(gen: Generator, script: Iterable[Step]) -> list[tuple]:
    """Apply each step of ``script`` to ``gen`` and say what happened.

    Steps: ``("next",)``, ``("send", value)``, ``("throw", ExceptionType, "message")``,
    ``("close",)``. Outcomes: ``("yielded", value)``, ``("returned", value)``,
    ``("raised", "TypeName", "message")``, ``("closed",)``.
    """
    outcomes = []
    for step, *args in script:
        try:
            if step == "next":
                outcome = ("yielded", next(gen))
            elif step == "send":
                outcome = ("yielded", gen.send(args[0]))
            elif step == "throw":
                outcome = ("yielded", gen.throw(args[0](*args[1:])))
            elif step == "close":
                gen.close()
                outcome = ("closed",)
            else:
                raise ValueError(f"unknown step {step!r}")
        except StopIteration as stop:
            outcome = ("returned", stop.value)
        except Exception as exc:
            outcome = ("raised", type(exc).__name__, str(exc))
        outcomes.append(outcome)
    return outcomes


def compare(
    delegate: Callable[[Generator], Generator],
    script: Iterable[Step],
    make_sub: Callable[[list[str]], Generator] = recorder,
) -> tuple[dict, dict]:
    """Run ``script`` on ``reference_delegate(sub)`` and on ``delegate(sub)``.

    Each run gets a fresh subgenerator ``make_sub(log)``. Returns ``(expected, actual)``,
    each a dict with the outcomes, the subgenerator's log and its state (taken while the
    subgenerator is still referenced). The three-argument ``throw(type, value, traceback)``
    of PEP 380's text works too: its DeprecationWarning (Python 3.12+) is silenced here.
    """
    script = list(script)
    runs = []
    for fn in (reference_delegate, delegate):
        log: list[str] = []
        sub = make_sub(log)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", r".*signature of throw\(\) is deprecated", DeprecationWarning)
            gen = fn(sub)
            outcomes = run_script(gen, script)
        runs.append({"outcomes": outcomes, "log": list(log), "sub state": inspect.getgeneratorstate(sub)})
        del gen, sub
    return runs[0], runs[1]


def uses_yield_from(func: Callable[..., Any]) -> bool:
    """Whether ``func``'s own code contains ``yield from``.

    Functions, lambdas and comprehensions defined inside ``func`` count; functions it only
    calls do not. Reads the bytecode, and the source too when it is available.
    """
    codes = [func.__code__]
    while codes:
        code = codes.pop()
        if any(i.opname == "GET_YIELD_FROM_ITER" for i in dis.get_instructions(code)):
            return True
        codes.extend(c for c in code.co_consts if inspect.iscode(c))
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError):
        return False  # no source (defined by exec, say): the bytecode had to do
    return any(isinstance(node, ast.YieldFrom) for node in ast.walk(tree))
