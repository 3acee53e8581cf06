"""Generator tools for chapters 02 and 03: the averager, a recording subgenerator, and checks.

``compare(delegate, script)`` runs the same steps (``next``, ``send``, ``throw``,
``close``) on a hand-written delegating generator and on real ``yield from``, each over a
fresh :func:`recorder` subgenerator, so the two can be put side by side.
``uses_yield_from(func)`` tells whether a function's own code contains ``yield from``.
``watching_averager(summarize)`` puts an :class:`AveragerSpy` in the place of ``averager``
for an answer, to see how it drives each averager. :class:`Untouchable` is a list that
fails a test when anything looks inside it, for laziness checks.
"""

from __future__ import annotations

import ast
import contextlib
import dis
import inspect
import sys
import textwrap
import warnings
from collections.abc import Callable, Generator, Iterable, Iterator
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
    __tracebackhide__ = True
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
    __tracebackhide__ = True
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
    __tracebackhide__ = True
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


class AveragerSpy:
    """Stands in for :func:`averager`: each call drives a real averager and records how it is driven.

    ``sent[i]`` lists every value the ``i``-th averager received after its priming ``next()``
    (``None`` included); ``direct`` names the functions that resumed an averager themselves
    instead of through a delegating generator (the code that resumes a subgenerator of
    ``yield from`` is the delegating generator's own frame).
    """

    def __init__(self) -> None:
        self.sent: list[list[Any]] = []
        self.direct: list[str] = []

    def __call__(self) -> Generator[float | None, float | None, Result]:
        return self._relay(averager())

    def _relay(self, inner: Generator) -> Generator[float | None, float | None, Result]:
        __tracebackhide__ = True
        received: list[Any] = []
        self.sent.append(received)
        value = next(inner)
        while True:
            term = yield value
            resumer = sys._getframe(1).f_code
            if not resumer.co_flags & inspect.CO_GENERATOR and resumer.co_name not in self.direct:
                self.direct.append(resumer.co_name)
            received.append(term)
            try:
                value = inner.send(term)
            except StopIteration as stop:
                return stop.value

    @property
    def driven(self) -> list[list[Any]]:
        """``sent`` without the averagers that were never sent anything (spares are fine)."""
        return [values for values in self.sent if values]


@contextlib.contextmanager
def watching_averager(answer: Callable[..., Any]) -> Iterator[AveragerSpy]:
    """Within the ``with`` block, the name ``averager`` in the namespace where ``answer`` was
    defined (a notebook's, for an answer cell) is an :class:`AveragerSpy`; then it is put back."""
    __tracebackhide__ = True
    namespace = getattr(answer, "__globals__", None)
    if type(namespace) is not dict:
        raise AssertionError(f"{answer!r} is not a function defined with def: cannot see how it uses averager()")
    missing = object()
    before = namespace.get("averager", missing)
    spy = namespace["averager"] = AveragerSpy()
    try:
        yield spy
    finally:
        if before is missing:
            del namespace["averager"]
        else:
            namespace["averager"] = before


class Untouchable(list):
    """A list that fails the test as soon as anything looks inside it (iterates, indexes, asks
    its length): put one where a lazy function must not have looked yet."""

    def _touched(self, *args: Any) -> Any:
        __tracebackhide__ = True
        raise AssertionError("a list was opened before it was needed: the answer is not lazy")

    __iter__ = __getitem__ = __len__ = __reversed__ = __contains__ = _touched
