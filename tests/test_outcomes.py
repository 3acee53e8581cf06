"""autograder.outcomes: an expected exception, and a RecursionError said in one line."""

import re

import pytest

from autograder.outcomes import expect_raises, listed


def test_expect_raises_returns_the_exception():
    def ends(value):
        return value
        yield

    stop = expect_raises(StopIteration, next, ends("done"))
    assert stop.value == "done"
    assert isinstance(expect_raises(ValueError, int, "x"), ValueError)


def test_expect_raises_says_what_happened_instead():
    with pytest.raises(AssertionError, match=re.escape("int('7'): expected ValueError, but it returned 7")):
        expect_raises(ValueError, int, "7")
    with pytest.raises(AssertionError, match=r"^make\(\): expected ValueError, got TypeError: nope$") as info:
        expect_raises(ValueError, _raise_type_error, what="make()")
    assert isinstance(info.value.__cause__, TypeError)  # the answer's own error is kept, as the cause


def test_expect_raises_lets_a_name_error_through_as_it_is():
    with pytest.raises(NameError):
        expect_raises(ValueError, lambda: undefined_answer(1))  # noqa: F821


def _raise_type_error():
    raise TypeError("nope")


def test_listed_reports_a_recursion_error_in_one_line_without_its_frames():
    def forever(x):
        yield from forever(x)

    assert listed(iter("ab"), "it") == ["a", "b"]
    with pytest.raises(AssertionError, match=r"^list\(forever\(1\)\) raised RecursionError \(maximum recursion "
                                             r"depth exceeded.*\): strings\?$") as info:
        listed(forever(1), "list(forever(1))", "strings?")
    assert info.value.__context__ is None and info.value.__cause__ is None
