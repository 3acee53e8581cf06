"""autograder.answers: an answer that raises is reported with what the test expected."""

from __future__ import annotations

import asyncio
import time

import pytest

from autograder import answers, vtime


async def settled(keys):
    await asyncio.sleep(1)
    if "bang" in keys:
        raise KeyError("bang")
    return list(keys)


def test_run_returns_the_run_of_an_answer_that_works():
    run = answers.run("a list", settled, ["a", "b"])
    assert (run.result, run.elapsed) == (["a", "b"], 1.0)


def test_run_says_what_was_called_what_it_raised_and_what_was_expected():
    with pytest.raises(AssertionError) as info:
        answers.run("a list with the exception in its place", settled, ["a", "bang"])
    assert str(info.value) == ("settled(['a', 'bang']) raised KeyError('bang'): "
                               "expected a list with the exception in its place")
    assert isinstance(info.value.__cause__, KeyError), "the answer's own exception stays attached"


def test_a_coroutine_object_is_named_without_its_arguments():
    with pytest.raises(AssertionError, match=r"^settled\(\.\.\.\) raised KeyError"):
        answers.run("a value", settled(["bang"]))


def test_vtime_errors_and_assertions_go_through_unchanged():
    async def sleeps():
        time.sleep(1)

    async def asserts():
        raise AssertionError("the answer's own check")

    with pytest.raises(vtime.BlockingCallError):
        answers.run("a value", sleeps)
    with pytest.raises(AssertionError, match="^the answer's own check$"):
        answers.run("a value", asserts)


def test_expecting_wraps_any_block_and_lets_other_base_exceptions_through():
    with pytest.raises(AssertionError, match=r"^loop\.run\(\) raised IndexError\('empty'\): expected it to return$"):
        with answers.expecting("loop.run()", "it to return"):
            raise IndexError("empty")
    with pytest.raises(KeyboardInterrupt):
        with answers.expecting("loop.run()", "it to return"):
            raise KeyboardInterrupt
    with answers.expecting("nothing", "nothing"):
        pass


def test_called_keeps_long_arguments_short_and_survives_a_broken_repr():
    class Broken:
        def __repr__(self):
            raise RuntimeError

    said = answers.called(settled, (list(range(100)), "x" * 100, Broken()))
    assert said.startswith("settled([0, 1, 2, 3, 4, 5, ...], 'xxx") and len(said) < 150
    assert "<Broken instance at 0x" in said


def test_raised_returns_the_exception_or_says_what_happened_instead():
    def parse(text):
        return int(text)

    error = answers.raised(ValueError, parse, "x")
    assert isinstance(error, ValueError)
    with pytest.raises(AssertionError, match=r"^parse\('3'\) returned 3: expected it to raise ValueError$"):
        answers.raised(ValueError, parse, "3")
    with pytest.raises(AssertionError, match=r"^parse\(None\) raised TypeError\(.*\): expected it to raise ValueError$"):
        answers.raised(ValueError, parse, None)


def test_raised_keeps_a_generators_return_value_and_lets_a_name_error_through():
    def ends(value):
        return value
        yield

    assert answers.raised(StopIteration, next, ends("done")).value == "done"
    with pytest.raises(AssertionError, match=r"^make\(\) raised TypeError\('nope'\): expected it to raise "
                                             r"ValueError$") as info:
        answers.raised(ValueError, _raise_type_error, what="make()")
    assert isinstance(info.value.__cause__, TypeError)  # the answer's own error is kept, as the cause
    with pytest.raises(NameError):
        answers.raised(ValueError, lambda: undefined_answer(1))  # noqa: F821


def _raise_type_error():
    raise TypeError("nope")


def test_listed_reports_a_recursion_error_in_one_line_without_its_frames():
    def forever(x):
        yield from forever(x)

    assert answers.listed(iter("ab"), "it") == ["a", "b"]
    with pytest.raises(AssertionError, match=r"^list\(forever\(1\)\) raised RecursionError \(maximum recursion "
                                             r"depth exceeded.*\): strings\?$") as info:
        answers.listed(forever(1), "list(forever(1))", "strings?")
    assert info.value.__context__ is None and info.value.__cause__ is None
