"""Dates, times and numbers as people type them on a phone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from core.events import read_event_number
from core.timing import WhenProblem, parse_when, read_when
from core.validation import InvalidInput, read_number

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # a Tuesday, 16:00 in Paris


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14/03/2027 14:00", "2027-03-14 14:00"),
        ("14/03/2027 14h", "2027-03-14 14:00"),
        ("14/03 14h30", "2027-03-14 14:30"),  # already past this year: next year
        ("le 3/12 à 9h30", "2026-12-03 09:30"),
        ("14h", "2026-11-25 14:00"),  # 14:00 has passed today: tomorrow
        ("17h", "2026-11-24 17:00"),
        ("14:30", "2026-11-25 14:30"),
        ("demain 14h", "2026-11-25 14:00"),
        ("Demain à 9 h", "2026-11-25 09:00"),
        ("après-demain 10h", "2026-11-26 10:00"),
        ("samedi 10h", "2026-11-28 10:00"),
        ("Samedi à 10 h", "2026-11-28 10:00"),
        ("mardi 17h", "2026-11-24 17:00"),  # today, still to come
        ("mardi 15h", "2026-12-01 15:00"),  # today but past: next week
        ("tomorrow 2pm", "2026-11-25 14:00"),
        ("Saturday 10:00", "2026-11-28 10:00"),
        ("5 décembre 14h", "2026-12-05 14:00"),
        ("le 12 décembre 2026 à 10h", "2026-12-12 10:00"),
        ("samedi 5 décembre 14h", "2026-12-05 14:00"),  # the 5th is a Saturday: agreed
        ("Samedi 5 déc. à 14h30", "2026-12-05 14:30"),
        ("1er janv 9h", "2027-01-01 09:00"),
        ("3 févr 2027 18h", "2027-02-03 18:00"),
        ("14 mars 10h", "2027-03-14 10:00"),  # already past this year: next year
        ("12 août 2027 8h", "2027-08-12 08:00"),
        ("December 5 2pm", "2026-12-05 14:00"),
        ("5 Dec 14:00", "2026-12-05 14:00"),
        ("on Dec 5th, 2026 at 2:30pm", "2026-12-05 14:30"),
        ("Saturday, December 5 at 2 pm", "2026-12-05 14:00"),
        ("samedi prochain 10h", "2026-11-28 10:00"),
    ],
)
def test_dates_and_times_as_the_french_write_them(typed: str, expected: str) -> None:
    moment = parse_when(typed, NOW, PARIS)
    assert moment is not None
    assert moment.tzinfo is PARIS
    assert moment.strftime("%Y-%m-%d %H:%M") == expected


@pytest.mark.parametrize(
    "typed",
    ["samedi", "bientôt", "25h", "14h75", "31/02/2027 10h", "13pm", "hier 14h", "14h bidule",
     "31 novembre 10h", "décembre 14h", "demain 5 décembre 14h", "5/12 6/12 14h", "14h 15h",
     "vendredi 5 décembre 14h", ""],
)  # fmt: skip
def test_unclear_dates_are_not_guessed(typed: str) -> None:
    assert parse_when(typed, NOW, PARIS) is None


@pytest.mark.parametrize(
    ("typed", "problem"),
    [("samedi", WhenProblem.NO_TIME), ("5 décembre", WhenProblem.NO_TIME),
     ("le 12 décembre 2026", WhenProblem.NO_TIME), ("demain", WhenProblem.NO_TIME),
     ("vendredi 5 décembre 14h", WhenProblem.WEEKDAY), ("Friday Dec 5 2pm", WhenProblem.WEEKDAY),
     ("hier 14h", WhenProblem.UNCLEAR), ("hier", WhenProblem.UNCLEAR),
     ("bientôt", WhenProblem.UNCLEAR)],
)  # fmt: skip
def test_why_a_date_was_not_read(typed: str, problem: WhenProblem) -> None:
    assert read_when(typed, NOW, PARIS) is problem


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12", 12),
        ("10 tables", 10),
        ("environ 3000", 3000),
        ("3 000 €", 3000),
        ("3\u202f000", 3000),
        ("2,5 h", 2.5),
        ("7 minutes", 7),
    ],
)
def test_numbers_as_people_type_them(typed: str, expected: float) -> None:
    assert read_number(typed) == expected


@pytest.mark.parametrize("typed", ["³", "١٢", "entre 10 et 20", "beaucoup", "", None])
def test_no_number_or_several_is_not_a_number(typed: str | None) -> None:
    assert read_number(typed) is None


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [("minutes", "7", 7), ("minutes", "7 min", 7), ("tables", "10 tables", 10),
     ("rounds", "environ 8 tours", 8), ("max", "30 personnes", 30), ("max", "environ 30", 30)],
)  # fmt: skip
def test_the_event_forms_numbers_are_read_with_their_words(
    name: str, text: str, expected: int
) -> None:
    assert read_event_number(name, text) == expected


@pytest.mark.parametrize(
    ("name", "text", "key"),
    [("minutes", "10 tables", "event.other_number"), ("tables", "8 tours", "event.other_number"),
     ("minutes", "45", "event.bad_number"), ("tables", "beaucoup", "event.bad_number")],
)  # fmt: skip
def test_a_number_for_another_field_or_out_of_range_is_refused(
    name: str, text: str, key: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_event_number(name, text)
    assert refused.value.key == key
