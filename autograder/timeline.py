"""Draw when things ran: a Gantt-style chart of calls or tasks on the loop's clock.

``plot(service.calls)`` draws one bar per call of a :class:`autograder.probes.Service`;
plain ``(label, start, end)`` or ``(label, start, end, outcome)`` tuples work too, so a
lesson can draw tasks, callbacks or scheduler steps it recorded itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

COLORS = {"ok": "tab:blue", "error": "tab:red", "cancelled": "tab:gray", "running": "tab:orange"}


def spans(records: Iterable[Any]) -> list[tuple[str, float, float, str]]:
    """Normalise records to ``(label, start, end, outcome)`` tuples."""
    result = []
    for record in records:
        if isinstance(record, Sequence):
            label, start, end, *rest = record
            outcome = rest[0] if rest else "ok"
        else:
            label, start, end, outcome = record.label, record.start, record.end, record.outcome
        if end is None:
            raise ValueError(f"{label!r} has not ended yet: draw it once it is done")
        result.append((str(label), float(start), float(end), outcome))
    return result


def plot(
    records: Iterable[Any],
    *,
    title: str | None = None,
    ax: Axes | None = None,
    unit: str = "s",
) -> Figure:
    """Draw one horizontal bar per record; rows keep the order of the records.

    Returns the figure; as a cell's last value it is drawn once, as a picture, in a
    kernel where ``%matplotlib inline`` has run. Pass ``ax`` to draw into an existing
    subplot, for side-by-side comparisons.
    """
    bars = spans(records)
    if ax is None:
        fig = Figure(figsize=(7, 0.45 * len(bars) + 1.2), layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    for row, (_label, start, end, outcome) in enumerate(bars):
        ax.barh(
            row,
            max(end - start, 1e-9),
            left=start,
            height=0.6,
            color=COLORS.get(outcome, "tab:purple"),
            hatch="//" if outcome == "cancelled" else None,
            edgecolor="black",
            linewidth=0.5,
        )
    ax.set_yticks(range(len(bars)), [label for label, *_ in bars])
    ax.invert_yaxis()
    ax.set_xlabel(f"loop time ({unit})")
    ax.set_xlim(left=min((start for _, start, _, _ in bars), default=0.0))
    ax.grid(axis="x", alpha=0.3)
    outcomes = sorted({outcome for *_, outcome in bars})
    if len(outcomes) > 1 or outcomes not in ([], ["ok"]):
        handles = [Patch(color=COLORS.get(o, "tab:purple"), label=o) for o in outcomes]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    if title:
        ax.set_title(title)
    return fig
