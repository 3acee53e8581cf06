import asyncio

import pytest
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
