"""`make bench`: run the benchmarks and print their results as Markdown for BENCHMARKS.md."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt

import bot as _passerelle  # noqa: F401 - sets python-telegram-bot options before it loads
from benchmarks import registration_load
from benchmarks.common import machine


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    args = parser.parse_args()
    runs = asyncio.run(registration_load.main(args.users))
    print(f"### Registration under load — {dt.date.today()}\n")
    print(f"Machine: {machine()}\n")
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
