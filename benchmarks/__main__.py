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
    notifying,
    reading,
    registration_load,
    restart,
    scheduling,
)
from benchmarks.common import machine
from bot.settings import Settings
from tests.heldout import evaluate as heldout
from tests.heldout.crossval import CrossValidation
from tests.heldout.training import FOLDS
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
            "reading",
            "flood",
            "scheduling",
            "delivery",
            "console",
            "fairness",
            "restart",
        ),
        default=None,
    )
    parser.add_argument(
        "--held-out",
        nargs="*",
        choices=tuple(heldout.HELD_OUT_SETS),
        default=[],
        help="the held-out sets measured with the quality figures (each run is a measurement "
        "of them: none unless named)",
    )
    args = parser.parse_args()
    print(f"Machine: {machine()}\n")
    if args.only in (None, "matching"):
        matching()
    if args.only in (None, "quality"):
        quality(args.held_out)
    if args.only in (None, "reading"):
        print(f"### Reading a typed phrase — {dt.date.today()}\n")
        print(reading.HEADER)
        print(reading.run().row(), "\n")
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


def quality(held_out: list[str]) -> None:
    """Issue 10: how typed phrases are filed and matched, on the held-out sets named (each run
    is one of their at most three measurements), the retired sets (now tuning material) and
    the tuning set, with the cross-validation over the training material and the pair pools.
    The held-out sets are shown in aggregate only: never which of their phrases fail (that
    would invite tuning on them)."""
    result = heldout.report(heldout=held_out)
    helds = result.heldouts
    sides = (*result.retired.values(), *helds.values())
    sets = (result.tuning, *(s.classification for s in sides))
    names = " and ".join(helds) or "none"
    print(f"### Matching quality, held-out sets {names} (issue 10) — {dt.date.today()}\n")
    print(
        "| | tuning set | "
        + "".join(f"retired {name} | " for name in result.retired)
        + "".join(f"held-out {name} | " for name in helds)
        + "goal (held-out) |"
    )
    print("|---|---:|" + "---:|" * (len(result.retired) + len(helds)) + "---:|")

    def row(name: str, values: tuple[str, ...], goal: str = "") -> None:
        print(f"| {name} | {' | '.join(values)} | {goal} |")

    row("typed phrases", tuple(str(c.phrases) for c in sets))
    row("things asked for (parts)", tuple(str(c.parts) for c in sets))
    row("category accuracy (strict)", tuple(f"{c.accuracy:.1%}" for c in sets), "≥ 90%")
    row(
        "first proposal right (filed or first button)",
        tuple(f"{c.first_proposal:.1%}" for c in sets),
    )
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
    tuning = result.tuning_matching
    row(
        "precision@5 (items)",
        (f"{tuning.precision_at_5:.3f}", *(f"{s.items.precision_at_5:.3f}" for s in sides)),
    )
    row(
        "recall@5 (items)",
        (f"{tuning.recall_at_5:.3f}", *(f"{s.items.recall_at_5:.3f}" for s in sides)),
    )
    row(
        "partner pairs, each in the other's top 3",
        ("–", *(f"{s.pairs.mutual_top3} / {s.pairs.pairs}" for s in sides)),
        "all",
    )
    row(
        "the same, when the person taps the first button",
        ("–", *(f"{s.pairs.mutual_top3_tapped} / {s.pairs.pairs}" for s in sides)),
    )
    row(
        "partner in the top 5 (paired profiles)",
        ("–", *(f"{s.pairs.partner_in_top5:.1%}" for s in sides)),
    )
    for name, held in helds.items():
        _slices(name, held)
    pools = result.pools
    print(
        f"\nPair pools (tuning material for the matching): "
        f"{sum(p.mutual_top3 for p in pools)} / {sum(p.pairs for p in pools)} pairs in each "
        f"other's top 3 ({', '.join(f'{p.mutual_top3}/{p.pairs}' for p in pools)})."
    )
    threshold = Settings.model_fields["strong_match_score"].default
    print(
        f"\nWhom a newcomer notifies (STRONG_MATCH_SCORE {threshold} by default, the "
        "profiles of the tuning material):\n"
    )
    print(notifying.HEADER)
    for found in notifying.main(threshold):
        print(found.row())
    cv = CrossValidation()
    print(
        f"\nCross-validation ({FOLDS} folds over the training material, the model retrained "
        f"without each fold): {cv.run()}\n"
    )


def _slices(name: str, held: heldout.SetReport) -> None:
    print(f"\nHeld-out {name} by slice (aggregate):\n")
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
    classified = held.classification
    for slice_name, keep in slices.items():
        part = classified.slice(keep(f.item) for f in classified.filings)
        print(
            f"| {slice_name} | {part.phrases} | {part.accuracy:.1%} | {part.after_question:.1%} "
            f"| {part.misfiled:.1%} | {part.asked:.1%} |"
        )
    pairs, items = held.pairs, held.items
    print(
        f"\nHeld-out {name}: {pairs.profiles} profiles ({pairs.pairs} pairs, the rest "
        f"distractors), {pairs.messages_placed} / {pairs.messages} typed needs and offers filed; "
        f"association finds its partner in its top 3: {pairs.association_side} / {pairs.pairs}; "
        f"company finds its partner in its top 3: {pairs.company_side} / {pairs.pairs}. Item "
        f"matching: {items.needs} needs with a relevant offer, {items.offers_placed} offers."
    )


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
