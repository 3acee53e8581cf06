"""Pictures of what ran when: Gantt-style timelines and sequence diagrams.

``plot(service.calls)`` draws the calls of an :class:`autograder.probes.Service` on the
loop's clock; plain ``(label, start, end)`` or ``(label, start, end, outcome)`` tuples work
too, so a lesson can draw tasks, callbacks or scheduler steps it recorded itself. Records
with the same label share a row: one row per task, however many steps it took.

``side_by_side(left, right, titles)`` draws two runs next to each other on one time scale
that holds both, and ``extent(records)`` gives a run's first start and last end, for titles
that quote what the run took instead of a number typed in.

``sequence(lanes, messages)`` draws messages between lifelines, top to bottom: who hands
control (and a value) to whom, as in a generator's ``send``/``yield`` conversation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

COLORS = {"ok": "tab:blue", "error": "tab:red", "cancelled": "tab:gray", "running": "tab:orange"}
OTHER = "tab:purple"


def spans(records: Iterable[Any]) -> list[tuple[str, float, float, str]]:
    """Normalise records to ``(label, start, end, outcome)`` tuples."""
    __tracebackhide__ = True
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


def extent(records: Iterable[Any]) -> tuple[float, float]:
    """``(first start, last end)`` of the records; ``(0.0, 0.0)`` for none."""
    __tracebackhide__ = True
    bars = spans(records)
    if not bars:
        return 0.0, 0.0
    return min(start for _, start, _, _ in bars), max(end for _, _, end, _ in bars)


def rows(bars: list[tuple[str, float, float, str]]) -> list[str]:
    """The row labels: one per distinct label, ordered by each label's first start."""
    first: dict[str, float] = {}
    for label, start, _end, _outcome in bars:
        first[label] = min(start, first.get(label, start))
    return sorted(first, key=first.__getitem__)  # stable: ties keep the records' order


def plot(
    records: Iterable[Any],
    *,
    title: str | None = None,
    ax: Axes | None = None,
    unit: str = "s",
    colors: Mapping[str, str] | None = None,
) -> Figure:
    """Draw every record as a bar on its label's row; rows are ordered by first start.

    The fourth field of a record (its ``outcome``) picks the colour and the legend entry:
    ``ok``, ``error``, ``cancelled`` and ``running`` have colours of their own, and
    ``colors`` adds others (``{"sleep": "tab:green"}``) for records of your own kinds.

    A record that took no time (start == end) is drawn as a short vertical mark, so an
    instant callback or a cancelled timer stays visible. Returns the figure; as a cell's
    last value it is drawn once, as a picture, in a kernel where ``%matplotlib inline`` has
    run. Pass ``ax`` to draw into an existing subplot, for side-by-side comparisons.
    """
    __tracebackhide__ = True
    palette = {**COLORS, **(colors or {})}
    bars = spans(records)
    labels = rows(bars)
    row_of = {label: row for row, label in enumerate(labels)}
    if ax is None:
        fig = Figure(figsize=(7, 0.45 * len(labels) + 1.2), layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    for label, start, end, outcome in bars:
        color = palette.get(outcome, OTHER)
        if end > start:
            ax.barh(row_of[label], end - start, left=start, height=0.6, color=color,
                    hatch="//" if outcome == "cancelled" else None, edgecolor="black", linewidth=0.5)
        else:
            ax.plot([start], [row_of[label]], marker="|", markersize=16, markeredgewidth=3, color=color)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)  # first row at the top
    ax.set_xlabel(f"loop time ({unit})")
    first = min((start for _, start, _, _ in bars), default=0.0)
    last = max((end for _, _, end, _ in bars), default=first)
    ax.set_xlim(left=first - 0.02 * ((last - first) or 1.0))  # room for a mark at the start
    ax.grid(axis="x", alpha=0.3)
    outcomes = sorted({outcome for *_, outcome in bars})
    if len(outcomes) > 1 or outcomes not in ([], ["ok"]):
        handles = [Patch(facecolor=palette.get(o, OTHER), hatch="//" if o == "cancelled" else None,
                         edgecolor="black", linewidth=0.5, label=o) for o in outcomes]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    if title:
        ax.set_title(title)
    return fig


def side_by_side(
    left: Iterable[Any],
    right: Iterable[Any],
    titles: Sequence[str],
    *,
    width: float = 11,
    unit: str = "s",
    colors: Mapping[str, str] | None = None,
) -> Figure:
    """Two timelines next to each other, on one time scale that holds both runs whole."""
    __tracebackhide__ = True
    left, right = spans(left), spans(right)
    height = 0.45 * max(len(rows(left)), len(rows(right))) + 1.4
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(1, 2)
    for ax, bars, title in zip(axes, (left, right), titles):
        plot(bars, ax=ax, title=title, unit=unit, colors=colors)
    first, last = extent(left + right)
    room = 0.02 * ((last - first) or 1.0)  # as plot leaves on the left, for a mark at the start
    for ax in axes:
        ax.set_xlim(first - room, last + 2 * room)
    return fig


def sequence(
    lanes: Sequence[str],
    messages: Iterable[tuple[str, str, str]],
    title: str = "",
) -> Figure:
    """Draw ``(sender, receiver, label)`` messages between vertical lifelines, top to bottom.

    ``lanes`` names the lifelines from left to right; every sender and receiver must be one
    of them. Arrows from the first lane are blue, arrows to it green, the others orange.
    """
    __tracebackhide__ = True
    messages = list(messages)
    x = {name: i for i, name in enumerate(lanes)}
    unknown = {name for sender, receiver, _ in messages for name in (sender, receiver)} - set(x)
    if unknown:
        raise ValueError(f"not a lane: {sorted(unknown)}; the lanes are {list(lanes)}")
    fig = Figure(figsize=(9, 0.45 * len(messages) + 1.3), layout="constrained")
    ax = fig.add_subplot()
    for name, i in x.items():
        ax.add_line(Line2D([i, i], [0.3, len(messages) + 0.5], color="0.8", zorder=0))
        ax.text(i, 0.1, name, ha="center", va="bottom", fontweight="bold")
    first = lanes[0] if lanes else None
    for row, (sender, receiver, label) in enumerate(messages, start=1):
        color = "tab:blue" if sender == first else "tab:green" if receiver == first else "tab:orange"
        ax.annotate("", xy=(x[receiver], row), xytext=(x[sender], row),
                    arrowprops={"arrowstyle": "->", "color": color, "lw": 1.5})
        ax.text((x[sender] + x[receiver]) / 2, row - 0.08, label, ha="center", va="bottom",
                fontsize=9, bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
    ax.set_xlim(-0.6, len(lanes) - 0.4)
    ax.set_ylim(len(messages) + 0.6, -0.3)
    ax.axis("off")
    if title:
        ax.set_title(title)
    return fig
