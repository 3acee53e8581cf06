"""autograder.checks: comparisons an answer's value cannot talk its way through."""

from __future__ import annotations

from collections import namedtuple

import pytest

from autograder.checks import expect, first_difference, same

Result = namedtuple("Result", "count average")


class AlwaysEqual:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__


class SneakyList(list):
    def __eq__(self, other):
        return True


@pytest.mark.parametrize("got, want", [
    ([1, 2, 3], [1, 2, 3]), ((1, "a"), (1, "a")), (2.0, 2), (2, 2.0), (None, None),
    ({"a": [1, 2]}, {"a": [1, 2]}), ({1, 2}, {2, 1}), (frozenset({1}), frozenset({1})),
    (Result(2, 3.0), Result(2, 3.0)), (Result(2, 3.0), (2, 3.0)), (b"x", b"x"),
    ([(0.0, "a"), (1.5, "b")], [(0, "a"), (1.5, "b")]),
])
def test_equal_values_are_the_same(got, want):
    assert same(got, want), f"same({got!r}, {want!r}) should be True"


@pytest.mark.parametrize("got, want", [
    (AlwaysEqual(), [1, 2]), ([AlwaysEqual()], [1]), (SneakyList([9]), [1]),
    ({"a": AlwaysEqual()}, {"a": 1}), ({AlwaysEqual()}, {1}), (True, 1), (1, True),
    ((2, 3.0), Result(2, 3.0)), ([1, 2], (1, 2)), ("1", 1), ([1, 2], [1, 2, 3]),
    (AlwaysEqual(), "text"), (AlwaysEqual(), 3), (AlwaysEqual(), None),
])
def test_different_or_self_deciding_values_are_not(got, want):
    assert not same(got, want), f"same({got!r}, {want!r}) should be False"


def test_expect_says_what_where_and_both_values():
    with pytest.raises(AssertionError) as failed:
        expect([1, 2, 4, 5], [1, 2, 3, 5], "take(4, ...)")
    message = str(failed.value)
    assert message.startswith("take(4, ...): expected [1, 2, 3, 5], got [1, 2, 4, 5]"), message
    assert "item 2 differs: expected 3, got 4" in message, message


def test_first_difference_of_long_texts_is_shown():
    want = "x" * 300 + "GBK text" + "y" * 50
    got = "x" * 300 + "GBK t\ufffdt" + "y" * 50
    assert "position 305" in first_difference(got, want), first_difference(got, want)


def test_a_repr_that_raises_does_not_hide_the_failure():
    class Broken:
        def __repr__(self):
            raise RuntimeError("no")
    with pytest.raises(AssertionError, match="expected 1, got <Broken "):
        expect(Broken(), 1)
