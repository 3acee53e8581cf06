"""What is known of an assignment's mutants, kept in ``tests/mutants/`` of the course.

- ``NN-slug.toml``, written by people: ``[[equivalent]]`` tables for the mutants no test can
  or should kill, each with a reason a reviewer can check (``"<kind>: <why>"``, a kind of
  ``REASON_KINDS``), and ``[[survivor]]`` tables for survivors known and not yet killed
  (a test to sharpen, ``note`` says where it is tracked). Both name the mutant by its id and
  repeat its change, for the reader.
- ``NN-slug.json``, written by ``python -m autograder mutants``: each mutant's verdict, per
  anchor, under the digest of everything the anchor's verdicts depend on
  (``mutants.Anchor.context``). A verdict is current while that digest is the same and the
  mutant is still made.

``Score`` puts an assignment's mutants, verdicts and records together: killed, survivors
(recorded or not), equivalents, and the records that are wrong or stale.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # mutants imports this module
    from autograder.grading.mutant_runner import Outcome
    from autograder.grading.mutants import Assignment, Mutant

#: The kinds of reason an equivalence record may give (``kind: why``).
REASON_KINDS = {
    "same-behaviour": "the mutant does what the reference does, for every input the statement allows",
    "redundant": "the mutated code does nothing that the rest of the answer does not do anyway",
    "outside-statement": "it differs only on inputs or uses that the statement rules out",
    "unobservable": "it differs only in what the statement does not ask for and no test may look at",
}


@dataclass(frozen=True)
class Record:
    kind: str  # "equivalent" or "survivor"
    mutant: str
    change: str
    reason: str  # an equivalent's reason, or a known survivor's note


def read_records(assignment: Assignment) -> tuple[list[Record], list[str]]:
    """The assignment's records, and what is wrong with its file."""
    path = assignment.records / f"{assignment.name}.toml"
    if not path.is_file():
        return [], []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        return [], [f"{path.name}: not valid TOML ({exc})"]
    records, problems = [], []
    unknown = sorted(set(data) - {"equivalent", "survivor"})
    if unknown:
        problems.append(f"{path.name}: unknown tables {unknown}: use [[equivalent]] or [[survivor]]")
    for kind, text in (("equivalent", "reason"), ("survivor", "note")):
        for number, entry in enumerate(data.get(kind, []), 1):
            record = Record(kind, str(entry.get("mutant", "")), str(entry.get("change", "")),
                            str(entry.get(text, "")).strip())
            label = f"{path.name}, [[{kind}]] {number} ({record.mutant})"
            reason_kind, _, why = record.reason.partition(":")
            if kind == "equivalent" and (reason_kind.strip() not in REASON_KINDS or not why.strip()):
                problems.append(f"{label}: the reason must be '<kind>: <why>', a kind among "
                                f"{', '.join(REASON_KINDS)}")
            if kind == "survivor" and not record.reason:
                problems.append(f"{label}: say in `note` where killing it is tracked")
            records.append(record)
    ids = [r.mutant for r in records]
    problems += [f"{path.name}: {m} is recorded twice" for m in sorted({m for m in ids if ids.count(m) > 1})]
    return records, problems


@dataclass
class Verdict:
    """What became of one mutant: ``killed_by`` the first test cell that failed, and why."""

    killed_by: str | None
    why: str = ""
    seconds: float = 0.0
    error: str = ""  # it could not be judged

    @property
    def killed(self) -> bool:
        return self.killed_by is not None

    @classmethod
    def of(cls, outcome: Outcome) -> Verdict:
        if outcome.error:
            return cls(None, "", outcome.seconds, outcome.error)
        first = next(iter(outcome.failed.items()), None)
        why = re.sub(r"0x[0-9a-f]{6,}", "0x...", first[1].splitlines()[0])[:160] if first else ""
        return cls(first[0] if first else None, why, round(outcome.seconds, 1))


def _verdicts_path(assignment: Assignment) -> Path:
    return assignment.records / f"{assignment.name}.json"


def read_verdicts(assignment: Assignment) -> dict[str, dict]:
    """``{anchor: {"context": digest, "mutants": {id: verdict fields}}}`` as last recorded."""
    path = _verdicts_path(assignment)
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get("anchors", {})


def write_verdicts(assignment: Assignment, verdicts: dict[str, dict[str, Verdict]]) -> Path:
    """Record the verdicts of the anchors given; keep the other anchors' records. A mutant
    killed by the same cell as recorded keeps its record (why, seconds), so that the file
    changes only where a verdict did."""
    path = _verdicts_path(assignment)
    anchors = read_verdicts(assignment)
    for name, found in verdicts.items():
        before = anchors.get(name, {}).get("mutants", {})
        anchors[name] = {"context": assignment.anchors[name].context, "mutants": {
            mutant: before[mutant] if before.get(mutant, {}).get("killed_by", "") == v.killed_by
            else {"killed_by": v.killed_by, "why": v.why, "seconds": v.seconds}
            for mutant, v in sorted(found.items())}}
    anchors = {name: anchors[name] for name in assignment.anchors if name in anchors}
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"assignment": assignment.name, "anchors": anchors}, indent=1, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def recorded_verdicts(assignment: Assignment, mutants: dict[str, list[Mutant]]) -> tuple[dict[str, Verdict], list[str]]:
    """The recorded verdict of every mutant whose record is current, and the anchors whose
    records are stale (their cells, the runtime or their mutants changed since)."""
    records = read_verdicts(assignment)
    current, stale = {}, []
    for name, found in mutants.items():
        record = records.get(name, {})
        known = record.get("mutants", {})
        if record.get("context") != assignment.anchors[name].context or any(m.id not in known for m in found):
            stale.append(name)
            continue
        for mutant in found:
            entry = known[mutant.id]
            current[mutant.id] = Verdict(entry["killed_by"], entry.get("why", ""), entry.get("seconds", 0.0))
    return current, stale


@dataclass
class Score:
    """An assignment's mutants against their verdicts and its records."""

    assignment: str
    mutants: dict[str, list[Mutant]]  # per anchor
    verdicts: dict[str, Verdict]  # per mutant id; a mutant without one was not judged
    records: list[Record]
    problems: list[str] = field(default_factory=list)  # records that are wrong or stale
    seconds: float = 0.0  # wall time of the run that made it

    def __post_init__(self) -> None:
        made = {m.id for m in self.all}
        for record in self.records:
            verdict = self.verdicts.get(record.mutant)
            if record.mutant not in made:
                self.problems.append(f"stale record: {record.mutant} ({record.change}) is no longer made; "
                                     f"remove its [[{record.kind}]] table")
            elif verdict is not None and verdict.killed:
                self.problems.append(f"{record.mutant} is recorded as {record.kind} but {verdict.killed_by} "
                                     f"kills it now; remove its [[{record.kind}]] table")

    @property
    def all(self) -> list[Mutant]:
        return [m for found in self.mutants.values() for m in found]

    def _ids(self, kind: str) -> set[str]:
        return {r.mutant for r in self.records if r.kind == kind}

    def _with(self, test) -> list[Mutant]:
        return [m for m in self.all if (v := self.verdicts.get(m.id)) is not None and test(m, v)]

    @property
    def killed(self) -> list[Mutant]:
        return self._with(lambda m, v: v.killed)

    @property
    def errors(self) -> list[Mutant]:
        return self._with(lambda m, v: bool(v.error))

    @property
    def equivalent(self) -> list[Mutant]:
        equivalent = self._ids("equivalent")
        return self._with(lambda m, v: not v.killed and not v.error and m.id in equivalent)

    @property
    def survivors(self) -> list[Mutant]:
        """Neither killed nor equivalent, whether recorded as a known survivor or not."""
        equivalent = self._ids("equivalent")
        return self._with(lambda m, v: not v.killed and not v.error and m.id not in equivalent)

    @property
    def unrecorded(self) -> list[Mutant]:
        known = self._ids("survivor")
        return [m for m in self.survivors if m.id not in known]

    @property
    def ok(self) -> bool:
        """Nothing new: every survivor is recorded, every record is right, all were judged."""
        return not (self.unrecorded or self.errors or self.problems)

    @property
    def complete(self) -> bool:
        """100 %: every mutant that is not equivalent is killed."""
        return self.ok and not self.survivors

    def seconds_per_mutant(self) -> float | None:
        seconds = [v.seconds for m in self.all if (v := self.verdicts.get(m.id)) and v.seconds]
        return sum(seconds) / len(seconds) if seconds else None

    def summary(self) -> str:
        per = self.seconds_per_mutant()
        known = len(self.survivors) - len(self.unrecorded)
        return (f"{self.assignment}: {len(self.all)} mutants, {len(self.killed)} killed, "
                f"{len(self.survivors)} survived" + (f" ({known} recorded as known)" if known else "")
                + f", {len(self.equivalent)} equivalent"
                + (f", {len(self.errors)} not judged" if self.errors else "")
                + (f", {per:.2f} s per mutant" if per else ""))
