"""autograder.generators: the averager, the recorder, compare and uses_yield_from."""

import sys
import warnings

import pytest

from autograder.generators import (
    AveragerSpy,
    Result,
    Untouchable,
    averager,
    compare,
    recorder,
    uses_yield_from,
    watching_averager,
)


def test_averager_returns_a_result_when_sent_none():
    avg = averager()
    assert next(avg) is None
    assert [avg.send(x) for x in (2, 4)] == [2.0, 3.0]
    try:
        avg.send(None)
    except StopIteration as stop:
        assert stop.value == Result(2, 3.0)


def test_compare_finds_no_difference_for_real_yield_from():
    def same(subgen):
        return (yield from subgen)

    expected, actual = compare(same, [("next",), ("send", 5), ("throw", ValueError, "x"), ("close",)])
    assert actual == expected
    assert expected["outcomes"] == [("yielded", 0), ("yielded", 5), ("yielded", -1), ("closed",)]
    assert expected["log"] == ["started", "received 5", "caught ValueError('x')", "closed", "finally"]


def test_compare_shows_what_a_delegate_gets_wrong():
    def no_close(subgen):
        value = next(subgen)
        while True:
            value = subgen.send((yield value))

    expected, actual = compare(no_close, [("next",), ("close",)])
    assert expected["sub state"] == "GEN_CLOSED" and actual["sub state"] == "GEN_SUSPENDED"


def test_compare_silences_only_the_three_argument_throw_deprecation():
    def pep_text(subgen):
        value = next(subgen)
        while True:
            try:
                sent = yield value
            except GeneratorExit:
                subgen.close()
                raise
            except BaseException:
                value = subgen.throw(*sys.exc_info())
            else:
                value = subgen.send(sent)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        expected, actual = compare(pep_text, [("next",), ("throw", ValueError, "x")])
    assert actual == expected
    assert caught == []
    assert recorder([]) is not None


def test_uses_yield_from_reads_the_function_and_what_it_defines():
    def direct(xs):
        yield from xs

    def nested(xs):
        def inner():
            yield from xs
        return inner()

    def loop(xs):
        for x in xs:
            yield x

    def calls_a_helper(xs):
        return direct(xs)

    assert uses_yield_from(direct) and uses_yield_from(nested)
    assert not uses_yield_from(loop) and not uses_yield_from(calls_a_helper)
    namespace = {}
    exec("def hidden(xs):\n    yield from xs\n", namespace)  # no source to read
    assert uses_yield_from(namespace["hidden"])


def test_averager_spy_records_what_each_averager_is_sent_and_who_drives_it():
    namespace = {}
    exec(
        "def grouper(results, key):\n"
        "    while True:\n"
        "        results[key] = yield from averager()\n"
        "\n"
        "def summarize(data):\n"
        "    results = {}\n"
        "    for key, values in data.items():\n"
        "        group = grouper(results, key)\n"
        "        next(group)\n"
        "        for value in values:\n"
        "            group.send(value)\n"
        "        group.send(None)\n"
        "    return results\n"
        "\n"
        "def direct(values):\n"
        "    avg = averager()\n"
        "    next(avg)\n"
        "    for value in values:\n"
        "        avg.send(value)\n",
        namespace,
    )
    namespace["averager"] = averager
    with watching_averager(namespace["summarize"]) as spy:
        out = namespace["summarize"]({"a": [1.0, 2.0], "b": []})
        assert isinstance(namespace["averager"], AveragerSpy)
    assert namespace["averager"] is averager  # put back
    assert out == {"a": Result(2, 1.5), "b": Result(0, None)}
    assert spy.driven == [[1.0, 2.0, None], [None]] and spy.direct == []
    # each group's grouper starts one more averager after the end of its group: a spare
    assert len(spy.sent) == 4 and spy.sent[1] == []

    with watching_averager(namespace["direct"]) as spy:
        namespace["direct"]([3.0])
    assert spy.driven == [[3.0]] and spy.direct == ["direct"]


def test_watching_averager_leaves_no_name_behind_and_refuses_non_functions():
    namespace = {}
    exec("def f():\n    return averager\n", namespace)
    with watching_averager(namespace["f"]) as spy:
        assert namespace["f"]() is spy
    assert "averager" not in namespace
    with pytest.raises(AssertionError, match="not a function defined with def"):
        with watching_averager(print):
            pass


def test_untouchable_fails_when_looked_into_but_not_when_passed_around():
    sealed = Untouchable([1, 2])
    assert isinstance(sealed, list) and [sealed][0] is sealed
    for look in (iter, len, reversed, lambda x: x[0], lambda x: 1 in x, list):
        with pytest.raises(AssertionError, match="opened before it was needed"):
            look(sealed)
