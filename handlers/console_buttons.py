"""The buttons of the organisers' console (/stats, /export, /reports, /org, /audit, /broadcast)
and the news switch under every news message, declared with the codec (core/buttons.py).

The data formats are the ones sent before the codec existed, so buttons already in chats
keep working. Period codes are core.stats's (all, d30, y2025, m202503, r20250101-20250630).
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Literal

from core.buttons import Callback

# --- /stats ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatsFilter(Callback, prefix="st:p"):
    """A period under the figures, for one event (0: every event)."""

    period: str
    event: int


@dataclass(frozen=True, slots=True)
class StatsEvents(Callback, prefix="st:e"):
    """« One event… »: the events to pick from, keeping the period."""

    period: str


# --- /export --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExportAll(Callback, prefix="ex"):
    """Everything, as one XLSX workbook (`x`) or CSV files in a ZIP (`c`)."""

    format: Literal["x", "c"]


@dataclass(frozen=True, slots=True)
class ExportReport(Callback, prefix="ex:f"):
    """The funders' report for a period."""

    period: str


# --- moderation and the audit log -----------------------------------------------------------

# Why an organiser pauses or removes an organisation (moderation.reason_<reason>).
HoldReason = Literal["pitch", "money", "conduct", "duplicate", "other"]
HOLD_REASONS: tuple[HoldReason, ...] = typing.get_args(HoldReason)
# Pause (`p`) or remove (`r`).
HoldKind = Literal["p", "r"]


@dataclass(frozen=True, slots=True)
class ViewOrg(Callback, prefix="mo:v"):
    """An organisation's whole profile with its moderation buttons."""

    org: int


@dataclass(frozen=True, slots=True)
class CloseReport(Callback, prefix="mo:c"):
    """A report dealt with."""

    report: int


@dataclass(frozen=True, slots=True)
class AskHold(Callback, prefix="mo:ask"):
    """⏸ or 🗑 on a profile: the reasons to choose from."""

    kind: HoldKind
    org: int


@dataclass(frozen=True, slots=True)
class Hold(Callback, prefix="mo"):
    """Pause or remove the organisation, for this reason (the owner is told)."""

    kind: HoldKind
    org: int
    reason: HoldReason


@dataclass(frozen=True, slots=True)
class RestoreOrg(Callback, prefix="mo:u"):
    """Lift a pause or a removal."""

    org: int


# Every button /reports and /org put under a profile (one handler reads them all).
MODERATION = (ViewOrg, CloseReport, AskHold, Hold, RestoreOrg)


@dataclass(frozen=True, slots=True)
class AuditOlder(Callback, prefix="au"):
    """The audit log's next page: entries before this one."""

    before: int


# --- /broadcast and the news switch ---------------------------------------------------------


# Who receives the news, besides one event's participants (news.to_<audience>).
AudienceName = Literal["all", "association", "company"]
AUDIENCES: tuple[AudienceName, ...] = typing.get_args(AudienceName)


@dataclass(frozen=True, slots=True)
class Audience(Callback, prefix="bc:a"):
    """Everyone, the associations or the companies."""

    audience: AudienceName


@dataclass(frozen=True, slots=True)
class EventAudience(Callback, prefix="bc:a:ev"):
    """One event's participants."""

    event: int


@dataclass(frozen=True, slots=True)
class Decision(Callback, prefix="bc"):
    """Under the preview: send, rewrite; and cancel under every question."""

    choice: Literal["send", "edit", "no"]


# Every button of the broadcast form.
BROADCAST = (Audience, EventAudience, Decision)


@dataclass(frozen=True, slots=True)
class NewsSwitch(Callback, prefix="nw"):
    """🔕 under a news message, or the toggle under /news: the presser's own choice."""

    choice: Literal["on", "off"]
