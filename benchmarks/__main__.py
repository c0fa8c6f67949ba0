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
    """Held-out set (issue 10) beside the tuning set: how typed phrases are filed, and pairs."""
    result = heldout.report()
    tuning, held = result.tuning, result.heldout
    pairs, items = result.pairs, result.heldout_matching
    print(f"### Matching quality, held-out set (issue 10) — {dt.date.today()}\n")
    print("| | tuning set | held-out set | goal (held-out) |")
    print("|---|---:|---:|---:|")
    print(f"| typed phrases | {tuning.phrases} | {held.phrases} | |")
    print(f"| things asked for (parts) | {tuning.parts} | {held.parts} | |")
    print(f"| category accuracy | {tuning.accuracy:.1%} | {held.accuracy:.1%} | ≥ 90% |")
    print(f"| silent misfilings | {tuning.misfiled:.1%} | {held.misfiled:.1%} | ≤ 2% |")
    print(
        f"| wrong first proposal (asked, not silent) | {tuning.wrong_proposals:.1%} "
        f"| {held.wrong_proposals:.1%} | |"
    )
    print(f"| asked the user (Vous voulez dire… ?) | {tuning.asked:.1%} | {held.asked:.1%} | |")
    print(
        f"| asked, a right category among the buttons | {tuning.offered_right} "
        f"| {held.offered_right} | |"
    )
    vague = sum(1 for f in held.filings if f.item.vague)
    print(f"| vague phrases asked about | – | {held.asked_rightly} / {vague} | all |")
    print(f"| needs of multi-need sentences dropped silently | – | {held.dropped} | |")
    print(
        f"| precision@5 (items) | {result.tuning_matching.precision_at_5:.3f} "
        f"| {items.precision_at_5:.3f} | |"
    )
    print(
        f"| recall@5 (items) | {result.tuning_matching.recall_at_5:.3f} "
        f"| {items.recall_at_5:.3f} | |"
    )
    print(
        f"| partner pairs, each in the other's top 3 | – "
        f"| {pairs.mutual_top3} / {pairs.pairs} | {pairs.pairs} / {pairs.pairs} |"
    )
    print()
    print("Held-out accuracy by slice:\n")
    print("| slice | phrases | accuracy | silent misfilings | asked |")
    print("|---|---:|---:|---:|---:|")
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
        part = held.slice(keep(f.item) for f in held.filings)
        print(
            f"| {name} | {part.phrases} | {part.accuracy:.1%} | {part.misfiled:.1%} "
            f"| {part.asked:.1%} |"
        )
    print(
        f"\nPartner pairs: {pairs.profiles} profiles ({pairs.pairs} pairs, the rest distractors), "
        f"{pairs.messages_placed} / {pairs.messages} typed needs and offers filed; "
        f"association finds its partner in its top 3: {pairs.association_side} / {pairs.pairs}; "
        f"company finds its partner in its top 3: {pairs.company_side} / {pairs.pairs}; "
        f"partner in the top 5: {pairs.partner_in_top5:.1%} of the paired profiles. "
        f"Item matching: {items.needs} needs with a relevant offer, "
        f"{items.offers_placed} offers filed.\n"
    )
    print(
        "| pair | kind | company's rank for the association | association's rank for the company |"
    )
    print("|---|---|---:|---:|")
    for rank in pairs.ranks:
        print(
            f"| {rank.pair.association} – {rank.pair.company} | {rank.pair.kind} "
            f"| {rank.company_rank or '–'} | {rank.association_rank or '–'} |"
        )
    print("\nWorst silent misfilings (held-out): phrase → filed as → expected\n")
    for filing in heldout.worst_misfilings(held):
        expected = " + ".join("/".join(sorted(part)) for part in filing.item.expect) or "ask"
        print(f"- « {filing.item.text} » → {filing.filed} → {expected}")


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
