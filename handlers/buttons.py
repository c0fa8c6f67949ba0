"""Buttons shown by one module and handled by another: under any card (report the
organisation, then the reason). Accept and decline under a request are
handlers.match_buttons.RequestAnswer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.buttons import Callback

# Where a report comes from: a match card (`o`, the organisation's id) or an interest request
# (`q`, the request's id, for its recipient only).
Source = Literal["o", "q"]


@dataclass(frozen=True, slots=True)
class Report(Callback, prefix="rp"):
    """⚠️ under a card: its reasons replace the card's buttons (handlers/moderation.py)."""

    source: Source
    number: int


@dataclass(frozen=True, slots=True)
class ReportReason(Callback, prefix="rr"):
    """One reason for the report, or `no` to give the card its buttons back."""

    source: Source
    number: int
    reason: str
