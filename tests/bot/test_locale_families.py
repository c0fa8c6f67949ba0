"""Texts whose key is built from a value (`f"stage.now_{target.value}"`, `f"event.b_{a}"`...):
every value the code can build a key from has its text in both languages.

Each family below names the enum or constant the handler builds its keys from, so a value
added there without its texts fails here rather than in front of a user.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

import pytest

from bot.app import MENU, ORGANISER_MENU
from bot.i18n import load_catalogues
from core import stats as figures
from core.events import EventStatus
from core.models import OrgKind, OrgStatus
from core.partnerships import NudgeState
from core.pipeline import AFTER_RECORD, MOVES, SET_ALONE, NudgeKind, Stage
from core.records import Giver, Kind
from handlers import broadcast, events, export, moderation
from handlers.event_messages import GRID_COLUMNS
from handlers.followup import ANSWERS
from handlers.partnership_list import NEXT
from handlers.registration import EDITABLE

CATALOGUES = load_catalogues()


def values(*sets: Iterable[object]) -> list[str]:
    return sorted({v.value if isinstance(v, Enum) else str(v) for s in sets for v in s})


def columns(*specs: Iterable[tuple[str, object, int]]) -> list[str]:
    return [key for spec in specs for key, _, _ in spec]


FAMILIES: dict[str, list[str]] = {
    # Profiles
    "kind.{}": values(OrgKind),
    "status.{}": values(OrgStatus),
    "status.now_{}": values(OrgStatus),
    "edit.{}": values(EDITABLE),
    "stats.status_{}": values(OrgStatus, moderation.HOLD_ACTIONS[1:]),
    "stats.side_short_{}": values(OrgKind),
    "stats.gap_{}.one": values(OrgKind),
    "stats.gap_{}.other": values(OrgKind),
    "stats.region_{}": [figures.REMOTE[1:], figures.UNKNOWN[1:]],
    # The partnership pipeline
    "stage.{}": values(Stage),
    "stage.next_{}": values(Stage),
    "stage.now_{}": values(SET_ALONE, AFTER_RECORD, [Stage.AGREED], MOVES.values()),
    "stage.b_{}": values(s for steps in NEXT.values() for s in steps if isinstance(s, Stage)),
    # Event reminders and rounds are written by the events' own texts.
    "nudge.{}": values(
        k for k in NudgeKind if k not in (NudgeKind.EVENT_REMINDER, NudgeKind.EVENT_ROUND)
    ),
    "{}": values(key for answers in ANSWERS.values() for _, key in answers),
    "record.kind_{}": values(Kind),
    "record.giver_{}": values(Giver),
    "record.line_giver_{}": values(Giver),
    # Speed meetings
    "event.status_{}": values(EventStatus),
    "event.b_{}": values(events.ORGANISER_ACTIONS, ["edit"]),
    "event.csv_{}": values(GRID_COLUMNS),
    # The console
    "news.to_{}": values(broadcast.AUDIENCES),
    "news.say_{}": values(broadcast.AUDIENCES),
    "report.reason_{}": values(moderation.REPORT_REASONS),
    "moderation.reason_{}": values(moderation.HOLD_REASONS),
    "moderation.state_{}": values(moderation.HOLD_ACTIONS),
    "moderation.owner_{}": values(moderation.HOLD_ACTIONS),
    "moderation.notice_{}": values(moderation.HOLD_ACTIONS, [moderation.RESTORED]),
    "moderation.done_{}": values(moderation.HOLD_ACTIONS, [moderation.RESTORED]),
    "export.file_{}": values(export.FILES),
    "export.sheet_{}": values(export.FILES, ["summary"]),
    "export.col_{}": values(
        columns(
            export.ORGANISATIONS,
            export.PARTNERSHIPS,
            export.EVENTS,
            export.PARTICIPANTS,
            export.MEETINGS,
            export.NUDGES,
            export.SUMMARY,
        )
    ),
    "export.status_{}": values(OrgStatus, moderation.HOLD_ACTIONS[1:]),
    "export.nudge_{}": values(NudgeKind),
    "export.nudge_state_{}": values(NudgeState),
    "commands.{}": values(MENU, ORGANISER_MENU),
}

CASES = [(family, value) for family, found in sorted(FAMILIES.items()) for value in found if value]


def test_every_family_has_values() -> None:
    """A family built from nothing would check nothing."""
    assert all(FAMILIES.values())


@pytest.mark.parametrize(("family", "value"), CASES)
def test_each_built_key_exists_in_both_languages(family: str, value: str) -> None:
    key = family.format(value)
    for lang, catalogue in CATALOGUES.items():
        assert key in catalogue, f"{key} is missing in {lang}"
