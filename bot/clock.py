"""The one place the product reads the wall clock.

Everything else receives a `Clock` and calls it: storage takes `now` from its caller, core
takes it as an argument, and tests pass a clock they move by hand (tests/harness.Clock).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real time, in UTC (the default clock of the running bot and the sandbox)."""
    return datetime.now(UTC)
