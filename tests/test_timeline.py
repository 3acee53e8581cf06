import asyncio

import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from autograder import probes, timeline, vtime


def test_plots_one_bar_per_call_at_its_loop_times():
    service = probes.Service({"a": 1, "b": 2}, failures={"b": ValueError})

    async def main():
        await asyncio.gather(service("a"), service("b"), return_exceptions=True)

    vtime.run(main)
    fig = timeline.plot(service.calls, title="two calls")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    bars = [(p.get_x(), p.get_width()) for p in ax.patches]
    assert bars == [(0.0, 1.0), (0.0, 2.0)]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["error", "ok"]


def test_accepts_plain_tuples_and_an_existing_axes():
    fig = Figure()
    ax = fig.add_subplot()
    assert timeline.plot([("x", 0, 1), ("y", 0.5, 2, "cancelled")], ax=ax) is fig
    assert ax.patches[1].get_hatch() == "//"


def test_refuses_a_call_that_has_not_ended():
    with pytest.raises(ValueError, match="not ended"):
        timeline.plot([probes.Call("k", 0.0)])


def test_records_with_the_same_label_share_a_row_ordered_by_first_start():
    fig = timeline.plot([("B", 1, 2), ("A", 0, 1), ("B", 3, 4), ("C", 0.5, 3)])
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "C", "B"]
    rows = sorted((round(p.get_y() + p.get_height() / 2), p.get_x()) for p in ax.patches)
    assert rows == [(0, 0.0), (1, 0.5), (2, 1.0), (2, 3.0)]


def test_a_record_that_took_no_time_is_drawn_as_a_mark():
    fig = timeline.plot([("soon", 0, 0), ("later", 0, 2)])
    ax = fig.axes[0]
    assert [(p.get_x(), p.get_width()) for p in ax.patches] == [(0.0, 2.0)]
    [mark] = ax.lines
    assert list(mark.get_xdata()) == [0] and mark.get_marker() == "|"


def test_sequence_draws_one_arrow_per_message_and_refuses_unknown_lanes():
    fig = timeline.sequence(["caller", "gen"], [("caller", "gen", "send(1)"), ("gen", "caller", "yields 1")])
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["caller", "gen", "", "send(1)", "", "yields 1"]
    with pytest.raises(ValueError, match="not a lane"):
        timeline.sequence(["caller"], [("caller", "nobody", "hello")])


def test_outcomes_of_your_own_get_the_colours_you_give():
    fig = timeline.plot([("task", 0, 1, "sleep"), ("task", 1, 2, "I/O")],
                        colors={"sleep": "tab:green", "I/O": "tab:blue"})
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["I/O", "sleep"]
    assert [p.get_facecolor() for p in ax.patches] == [to_rgba("tab:green"), to_rgba("tab:blue")]


def test_side_by_side_shares_the_time_scale():
    fig = timeline.side_by_side([("a", 0, 1)], [("b", 0, 3), ("c", 1, 2)], ["one", "two"])
    left, right = fig.axes
    assert (left.get_title(), right.get_title()) == ("one", "two")
    assert left.get_xlim() == right.get_xlim()


@pytest.mark.parametrize("short_first", [True, False])
def test_side_by_side_never_clips_the_longer_run(short_first):
    short, long = [("a", 0, 2)], [("a", 0, 2), ("b", 2, 4), ("c", 4, 6)]
    fig = timeline.side_by_side(*((short, long) if short_first else (long, short)), ["x", "y"])
    for ax in fig.axes:
        low, high = ax.get_xlim()
        assert low < 0 and high > 6, ax.get_xlim()


def test_side_by_side_labels_the_unit_and_extent_spans_the_records():
    fig = timeline.side_by_side([("a", 10, 60)], [("b", 0, 150)], ["x", "y"], unit="ms")
    assert [ax.get_xlabel() for ax in fig.axes] == ["loop time (ms)"] * 2
    assert timeline.extent([("a", 10, 60), ("b", 5, 20)]) == (5.0, 60.0)
    assert timeline.extent([]) == (0.0, 0.0)
