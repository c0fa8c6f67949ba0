"""`make bench`: run the benchmarks and print their results as Markdown for BENCHMARKS.md."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt

import bot as _passerelle  # noqa: F401 - sets python-telegram-bot options before it loads
from benchmarks import (
    console,
    delivery,
    fairness,
    flood,
    matching_speed,
    registration_load,
    restart,
    scheduling,
)
from benchmarks.common import machine
from tests.heldout import evaluate as heldout
from tests.heldout.evaluate import classify
from tests.heldout.tuning_v3 import v3_items, v3_split
from tests.matching_set import evaluate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument(
        "--only",
        choices=(
            "registration",
            "matching",
            "quality",
            "flood",
            "scheduling",
            "delivery",
            "console",
            "fairness",
            "restart",
        ),
        default=None,
    )
    args = parser.parse_args()
    print(f"Machine: {machine()}\n")
    if args.only in (None, "matching"):
        matching()
    if args.only in (None, "quality"):
        quality()
    if args.only in (None, "registration"):
        registration(args.users)
    if args.only in (None, "scheduling"):
        print(f"### Speed-meeting scheduling — {dt.date.today()}\n")
        print(
            "| event | meetings | rounds | lower bound | seconds | total priority "
            "| exact optimum | ratio | optimum (MILP) seconds |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for row in scheduling.main():
            print(row.row(), flush=True)
        print()
    if args.only in (None, "flood"):
        baseline = asyncio.run(flood.run(fault_rate=0.0))
        faulty = asyncio.run(flood.run(fault_rate=0.1))
        print(f"### Flood control — {dt.date.today()}\n")
        print(flood.HEADER)
        print(baseline.row())
        print(faulty.row())
    if args.only in (None, "delivery"):
        outbox()
    if args.only in (None, "fairness"):
        fair()
    if args.only in (None, "restart"):
        restarts()
    if args.only in (None, "console"):
        organisers_console()


def organisers_console() -> None:
    """Issue 12: /stats and /export on a network of 10k organisations, 50k partnerships."""
    results = asyncio.run(console.main())
    print(f"### Organiser's console — {dt.date.today()}\n")
    print(console.HEADER)
    for result in results:
        print(*result.rows(), sep="\n")
    print()


def outbox() -> None:
    """Issue 8: live-round punctuality, and outbox messages under faults and SIGKILLs."""
    punctual = asyncio.run(delivery.live_rounds())
    print(f"### Live-round punctuality — {dt.date.today()}\n")
    print(delivery.PUNCTUALITY_HEADER)
    print(punctual.row(), "\n", flush=True)
    baseline = asyncio.run(delivery.under_faults(fault_rate=0.0, kills=0))
    faulty = asyncio.run(delivery.under_faults())
    print(f"### Outbox delivery under faults — {dt.date.today()}\n")
    print(delivery.DELIVERY_HEADER)
    print(baseline.row())
    print(faulty.row())
    print()


def matching() -> None:
    quality = evaluate()
    print(f"### Matching quality — {dt.date.today()}\n")
    print(
        f"{quality.needs} needs, {quality.offers} offers, {quality.labelled_pairs} labelled "
        f"pairs: precision@5 {quality.precision_at_5:.3f}, recall@5 {quality.recall_at_5:.3f}, "
        f"false matches {quality.false_matches}, words not placed {quality.unplaced}\n"
    )
    print(f"### Matching speed — {dt.date.today()}\n")
    print(
        "| organisations | index build s | memory MB (orgs + index) | top 10 p50 ms "
        "| top 10 p95 ms | whom to notify p50 ms | brute force p50 ms | brute / top 10 |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in matching_speed.main():
        print(row.row(), flush=True)
    print()


def quality() -> None:
    """Issue 10: how typed phrases are filed and matched, on the held-out set (v2), the retired
    set v1 (now tuning material) and the tuning set. The held-out set is shown in aggregate
    only: never which of its phrases fail (that would invite tuning on it)."""
    result = heldout.report()
    assert result.heldout is not None
    tuning, retired, held = result.tuning, result.retired.classification, result.heldout
    sets = (tuning, retired, held.classification)
    print(f"### Matching quality, held-out set (issue 10) — {dt.date.today()}\n")
    print("| | tuning set | retired v1 (now tuning) | held-out v2 | goal (held-out) |")
    print("|---|---:|---:|---:|---:|")

    def row(name: str, values: tuple[str, ...], goal: str = "") -> None:
        print(f"| {name} | {' | '.join(values)} | {goal} |")

    row("typed phrases", tuple(str(c.phrases) for c in sets))
    row("things asked for (parts)", tuple(str(c.parts) for c in sets))
    row("category accuracy (strict)", tuple(f"{c.accuracy:.1%}" for c in sets), "≥ 90%")
    row("accuracy after the question", tuple(f"{c.after_question:.1%}" for c in sets))
    row("silent misfilings", tuple(f"{c.misfiled:.1%}" for c in sets), "≤ 2%")
    row("wrong first proposal (asked)", tuple(f"{c.wrong_proposals:.1%}" for c in sets))
    row("asked the user (Vous voulez dire… ?)", tuple(f"{c.asked:.1%}" for c in sets))
    row("asked, a right category among the buttons", tuple(str(c.offered_right) for c in sets))
    row(
        "vague phrases asked about",
        tuple(f"{c.asked_rightly} / {sum(f.item.vague for f in c.filings)}" for c in sets),
        "all",
    )
    row("needs of multi-need sentences dropped", tuple(str(c.dropped) for c in sets))
    sides = (result.retired, held)
    row(
        "precision@5 (items)",
        (
            f"{result.tuning_matching.precision_at_5:.3f}",
            *tuple(f"{s.items.precision_at_5:.3f}" for s in sides),
        ),
    )
    row(
        "recall@5 (items)",
        (
            f"{result.tuning_matching.recall_at_5:.3f}",
            *tuple(f"{s.items.recall_at_5:.3f}" for s in sides),
        ),
    )
    row(
        "partner pairs, each in the other's top 3",
        ("–", *tuple(f"{s.pairs.mutual_top3} / {s.pairs.pairs}" for s in sides)),
        "all",
    )
    print()
    print("Accuracy by slice (retired v1 | held-out v2): accuracy, after the question, silent:\n")
    print("| slice | phrases | accuracy | after the question | silent misfilings | asked |")
    print("|---|---:|---:|---:|---:|---:|")
    slices = {
        "French": lambda i: i.lang == "fr",
        "English": lambda i: i.lang == "en",
        "needs": lambda i: i.direction.value == "need",
        "offers": lambda i: i.direction.value == "offer",
        "one thing asked": lambda i: len(i.expect) == 1,
        "several things in one sentence": lambda i: i.multi,
        "too vague (should ask)": lambda i: i.vague,
    }
    for name, keep in slices.items():
        parts = [c.slice(keep(f.item) for f in c.filings) for c in (retired, held.classification)]

        def cell(values: list[str]) -> str:
            return " \\| ".join(values)

        print(
            f"| {name} | {cell([str(p.phrases) for p in parts])} "
            f"| {cell([f'{p.accuracy:.1%}' for p in parts])} "
            f"| {cell([f'{p.after_question:.1%}' for p in parts])} "
            f"| {cell([f'{p.misfiled:.1%}' for p in parts])} "
            f"| {cell([f'{p.asked:.1%}' for p in parts])} |"
        )
    for name, side in (("Retired v1", result.retired), ("Held-out v2", held)):
        pairs, items = side.pairs, side.items
        print(
            f"\n{name}: {pairs.profiles} profiles ({pairs.pairs} pairs, the rest distractors), "
            f"{pairs.messages_placed} / {pairs.messages} typed needs and offers filed; "
            f"association finds its partner in its top 3: {pairs.association_side} / "
            f"{pairs.pairs}; company finds its partner in its top 3: {pairs.company_side} / "
            f"{pairs.pairs}; partner in the top 5: {pairs.partner_in_top5:.1%} of the paired "
            f"profiles. Item matching: {items.needs} needs with a relevant offer, "
            f"{items.offers_placed} offers."
        )
    train, dev = v3_split()
    print("\nTuning phrases v3 (tests/tuning_phrases.toml; its train split is also the learned")
    print("reader's training material, its fixed 20% dev split is not):\n")
    print("| | v3 train (80%) | v3 dev (20%) | v3 all | |")
    print("|---|---:|---:|---:|---|")
    v3 = (classify(train), classify(dev), classify(v3_items()))
    row("typed phrases", tuple(str(c.phrases) for c in v3))
    row("category accuracy (strict)", tuple(f"{c.accuracy:.1%}" for c in v3))
    row("accuracy after the question", tuple(f"{c.after_question:.1%}" for c in v3))
    row("silent misfilings", tuple(f"{c.misfiled:.1%}" for c in v3))
    row("asked the user", tuple(f"{c.asked:.1%}" for c in v3))
    missed = [r for r in result.retired.pairs.ranks if not r.mutual]
    if missed:
        print("\nRetired v1 pairs not in each other's top 3 (company's rank / association's):\n")
        for rank in missed:
            print(
                f"- {rank.pair.association} – {rank.pair.company}: "
                f"{rank.company_rank or '–'} / {rank.association_rank or '–'}"
            )
    print("\nWorst silent misfilings (retired v1): phrase → filed as → expected\n")
    for filing in heldout.worst_misfilings(retired):
        expected = " + ".join("/".join(sorted(part)) for part in filing.item.expect) or "ask"
        print(f"- « {filing.item.text} » → {filing.filed} → {expected}")
    print()


def fair() -> None:
    quiet, loud = asyncio.run(fairness.run())
    print(f"### Fairness between chats — {dt.date.today()}\n")
    print(fairness.HEADER)
    print(quiet.row())
    print(loud.row())
    print(
        f"\np99 under flood / p99 without: {loud.p(99) / quiet.p(99):.2f} "
        f"(p50: {loud.p(50) / quiet.p(50):.2f}). The bot took {loud.flood_seconds:.2f} s to "
        f"fetch the whole flood; {len(loud.during_intake)} probes were sent meanwhile, "
        f"answered in {', '.join(f'{x * 1000:.0f}' for x in loud.during_intake)} ms. "
        f"The flooder got {loud.flood_answered} answers and "
        f"{loud.slow_down_notices} slow-down notice(s).\n"
    )


def restarts() -> None:
    print(f"### Restart time — {dt.date.today()}\n")
    print(restart.HEADER)
    for size in (10_000, 100_000):
        print(asyncio.run(restart.run(size)).row(), flush=True)
    print()


def registration(users: int) -> None:
    runs = asyncio.run(registration_load.main(users))
    print(f"### Registration under load — {dt.date.today()}\n")
    print("| bot | users at once | updates | updates/s | p50 ms | p99 ms | bot CPU ms/update |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for run in runs:
        print(run.row())
    for run in runs:
        print(
            f"\n{run.name}: harness (stand-in + users) CPU {run.harness_cpu:.1f} s, "
            f"bot CPU {run.bot_cpu:.1f} s, wall {run.seconds:.1f} s"
        )
    echo, passerelle = runs[0], runs[1]
    print(f"\nCapacity ratio, flat out (Passerelle / echo): {passerelle.rate / echo.rate:.2f}")


if __name__ == "__main__":
    main()
