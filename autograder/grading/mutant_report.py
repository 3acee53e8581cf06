"""``python -m autograder mutants``: mutation testing of the assignments' tests, and its reports.

    python -m autograder mutants                    every assignment, every mutant
    python -m autograder mutants 07 09-synchronisation --workers 2
    python -m autograder mutants 07 --stale         only the anchors whose records are stale
    python -m autograder mutants --report FILE      survivors with their diffs, as Markdown

Each assignment's verdicts are recorded in ``tests/mutants/NN-slug.json`` (``--no-record``:
not). The exit status is 1 when a mutant survived that is not recorded as equivalent, an
equivalence record is stale or wrong, a reference answer fails its own tests under the runner,
or a mutant could not be judged; 2 when the command was used wrongly.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from autograder.grading import mutant_records, mutants


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignments", nargs="*", help="names or number prefixes (default: all)")
    parser.add_argument("--workers", type=int, default=2, help="mutants run at once (default: 2)")
    parser.add_argument("--stale", action="store_true",
                        help="run only the anchors whose recorded verdicts are stale")
    parser.add_argument("--no-record", action="store_true", help="do not write tests/mutants/*.json")
    parser.add_argument("--report", type=Path, help="write the survivors and the counts as Markdown")


def command(course: str, args: argparse.Namespace) -> int:
    root = Path(course).resolve()
    names = resolve(root, args.assignments)
    scores, failed = [], False
    for name in names:
        score, ok = run_assignment(root, name, args.workers, args.stale, not args.no_record)
        scores.append(score)
        failed |= not ok
    if len(scores) > 1:
        print("\n" + table(scores))
    if args.report:
        args.report.write_text(markdown(scores), encoding="utf-8")
        print(f"report written to {args.report}")
    return 1 if failed else 0


def resolve(root: Path, wanted: list[str]) -> list[str]:
    """``07`` stands for ``07-running-many``; nothing for every assignment."""
    known = sorted(p.name for p in (root / "source").iterdir() if p.is_dir())
    if not wanted:
        return known
    names = []
    for item in wanted:
        matches = [n for n in known if n == item or n.startswith(item + "-")]
        if not matches:
            raise KeyError(f"no assignment {item!r} in {root / 'source'} ({', '.join(known)})")
        names += matches
    return names


def run_assignment(root: Path, name: str, workers: int, stale_only: bool,
                   record: bool) -> tuple[mutant_records.Score, bool]:
    start = time.monotonic()
    assignment = mutants.load(root, name)
    found = assignment.mutants()
    recorded, stale = mutant_records.recorded_verdicts(assignment, found)
    anchors = stale if stale_only else list(found)
    todo = [m for a in anchors for m in found[a]]
    print(f"{name}: {sum(map(len, found.values()))} mutants of {len(found)} answer cells; "
          f"running {len(todo)} ({', '.join(anchors) or 'none'}), {workers} at a time", flush=True)

    def show(mutant: mutants.Mutant, verdict: mutant_records.Verdict) -> None:
        if verdict.error:
            print(f"  NOT JUDGED {mutant.id}: {verdict.error}", flush=True)

    baseline, verdicts = mutants.run(assignment, todo, workers, on_verdict=show, anchors=anchors)
    for anchor, cells in baseline.failed.items():
        print(f"  the reference answer of {anchor} fails under the mutation runner: "
              + "; ".join(f"{cell}: {why}" for cell, why in cells.items()))
    if record and not assignment.records.parent.is_dir():
        print(f"  verdicts not recorded: the course has no {assignment.records.parent.name}/ folder")
    elif record and baseline.ok and anchors:
        judged = {a: {m.id: verdicts[m.id] for m in found[a]} for a in anchors
                  if all(m.id in verdicts and not verdicts[m.id].error for m in found[a])}
        if judged:
            mutant_records.write_verdicts(assignment, judged)
    score = mutants.score(assignment, {**{k: v for k, v in recorded.items() if k not in verdicts}, **verdicts})
    score.seconds = time.monotonic() - start
    for mutant in score.survivors:
        if mutant in score.unrecorded:
            print(survivor_report(mutant))
        else:
            print(f"  known survivor {mutant.id}: {mutant.description}")
    for problem in score.problems:
        print(f"  {problem}")
    print(score.summary() + f"; {score.seconds:.0f} s", flush=True)
    return score, score.ok and baseline.ok


def table(scores: list[mutant_records.Score]) -> str:
    rows = ["| assignment | mutants | killed | survived | equivalent | s per mutant | run (s) |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for s in scores:
        per = s.seconds_per_mutant()
        rows.append(f"| {s.assignment} | {len(s.all)} | {len(s.killed)} | {len(s.survivors)} | "
                    f"{len(s.equivalent)} | {f'{per:.2f}' if per else '-'} | {s.seconds:.0f} |")
    total = [sum(len(getattr(s, what)) for s in scores) for what in ("all", "killed", "survivors", "equivalent")]
    rows.append(f"| all | {' | '.join(map(str, total))} | | {sum(s.seconds for s in scores):.0f} |")
    return "\n".join(rows)


def markdown(scores: list[mutant_records.Score]) -> str:
    """The survivors, per assignment and anchor, each with its diff; the counts first."""
    lines = ["# Surviving mutants", "",
             "Each mutant below is a reference answer with one small change that every test cell "
             "of its anchor still passes. Kill it with a sharper test (and say the rule in the "
             "statement), or, if no test can or should tell it from the reference, record it as "
             "equivalent in `tests/mutants/<assignment>.toml` with its reason.", "",
             table(scores), ""]
    for score in scores:
        survivors, reasons = score.survivors, {r.mutant: r.reason for r in score.records}
        if not (survivors or score.problems or score.equivalent):
            continue
        lines += [f"## {score.assignment}", ""]
        lines += [f"- {problem}" for problem in score.problems]
        for anchor in score.mutants:
            mine = [m for m in survivors if m.anchor == anchor]
            if mine:
                lines += [f"### {anchor} ({len(mine)} of {len(score.mutants[anchor])} mutants survive)", ""]
            for mutant in mine:
                lines += [f"**{mutant.id}** ({mutant.operator}, line {mutant.line}): {mutant.description}",
                          "", "```diff", mutant.diff(), "```", ""]
        if score.equivalent:
            lines += [f"### Recorded as equivalent ({len(score.equivalent)})", ""]
            lines += [f"- **{m.id}** ({m.description}): {reasons[m.id]}" for m in score.equivalent]
            lines.append("")
    return "\n".join(lines)


def survivor_report(mutant: mutants.Mutant) -> str:
    """A survivor as a person reads it, with the record that would declare it equivalent."""
    return "\n".join([
        f"SURVIVED {mutant.id}  ({mutant.operator}, line {mutant.line} of the answer cell "
        f"{mutant.anchor!r}): {mutant.description}",
        _indent(mutant.diff()),
        "  equivalent? record it in tests/mutants/<assignment>.toml:",
        _indent(toml_record(mutant, "equivalent", "reason", "<kind>: <why no test can or should tell>")),
    ])


def toml_record(mutant: mutants.Mutant, kind: str, field: str, text: str) -> str:
    return "\n".join([f"[[{kind}]]", f"mutant = {json.dumps(mutant.id)}",
                      f"change = {json.dumps(f'line {mutant.line}: {mutant.description}')}",
                      f"{field} = {json.dumps(text)}"])


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def main(argv: list[str] | None = None) -> int:  # python -m autograder.grading.mutant_report
    parser = argparse.ArgumentParser(prog="python -m autograder mutants", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--course", default=".")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return command(args.course, args)
    except (FileNotFoundError, KeyError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
