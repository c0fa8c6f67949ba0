"""`make bench`: run the benchmarks and print their results as Markdown for BENCHMARKS.md."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt

import bot as _passerelle  # noqa: F401 - sets python-telegram-bot options before it loads
from benchmarks import fairness, flood, matching_speed, registration_load, restart, scheduling
from benchmarks.common import machine
from tests.matching_set import evaluate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument(
        "--only",
        choices=("registration", "matching", "flood", "scheduling", "fairness", "restart"),
        default=None,
    )
    args = parser.parse_args()
    print(f"Machine: {machine()}\n")
    if args.only in (None, "matching"):
        matching()
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
    if args.only in (None, "fairness"):
        fair()
    if args.only in (None, "restart"):
        restarts()


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
