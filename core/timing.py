"""Durations written as settings ("14d", "3h", "90s"), quiet hours in a time zone, and dates and
times as people type them ("samedi 10h")."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """'14d' → 14 days; units s, m, h, d, w."""
    match = _DURATION.match(text.lower())
    if match is None:
        raise ValueError(f"{text!r} is not a duration such as 90s, 15m, 3h, 14d or 2w")
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A nightly window (e.g. 21:00-08:00) during which nobody is notified."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> QuietHours:
        try:
            start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
        except ValueError:
            raise ValueError(f"{text!r} is not a window such as 21:00-08:00") from None
        return cls(start, end)

    def contains(self, moment: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end

    def next_allowed(self, now: datetime, zone: tzinfo) -> datetime:
        """`now` if it is outside the window, else the window's end (local time, same instant)."""
        local = now.astimezone(zone)
        if not self.contains(local.time().replace(tzinfo=None)):
            return now
        end = local.replace(hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0)
        if end <= local:
            end += timedelta(days=1)
        return end.astimezone(now.tzinfo)

    def day_start(self, now: datetime, zone: tzinfo) -> datetime:
        """The start of the recipient's day (local midnight), for daily caps."""
        local = now.astimezone(zone)
        return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(now.tzinfo)


# --- dates and times as people type them -------------------------------------------------------

_WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
_RELATIVE = {
    "aujourd'hui": 0, "aujourdhui": 0, "today": 0, "ce soir": 0, "tonight": 0,
    "demain": 1, "tomorrow": 1, "apres-demain": 2, "apres demain": 2,
}  # fmt: skip
_MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1, "fevrier": 2, "fevr": 2, "fev": 2,
    "february": 2, "feb": 2, "mars": 3, "march": 3, "mar": 3, "avril": 4, "avr": 4, "april": 4,
    "apr": 4, "mai": 5, "may": 5, "juin": 6, "june": 6, "jun": 6, "juillet": 7, "juil": 7,
    "july": 7, "jul": 7, "aout": 8, "august": 8, "aug": 8, "septembre": 9, "september": 9,
    "sept": 9, "sep": 9, "octobre": 10, "october": 10, "oct": 10, "novembre": 11,
    "november": 11, "nov": 11, "decembre": 12, "december": 12, "dec": 12,
}  # fmt: skip
# Words that may surround a date without changing it: « le 12 décembre à 10h », "on Dec 5 at 2pm".
_FILLERS = frozenset(
    {"le", "la", "l", "a", "au", "at", "on", "the", "of", "de", "du", "en", "et", "and", "vers",
     "around", "prochain", "prochaine", "next", "this", "ce", "cette"}
)  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?\b", re.ASCII)
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\s+({_MONTH})\b\.?(?:\s+(\d{{4}})\b)?", re.ASCII
)
_MONTH_DAY = re.compile(
    rf"\b({_MONTH})\b\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s*,?\s+(\d{{4}})\b)?", re.ASCII
)
_CLOCK = re.compile(
    r"\b(\d{1,2})(?:\s*(?:h(?:eures?)?|:)\s*(\d{2})?(?:\s*(am|pm))?|\s*(am|pm))(?![\da-z])",
    re.ASCII,
)


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(c for c in plain if not unicodedata.combining(c))


def _words(table: dict[str, int]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?<![\w'-])({alternatives})(?![\w'-])")


_RELATIVE_WORDS = _words(_RELATIVE)
_WEEKDAY_WORDS = _words(_WEEKDAYS)


class WhenProblem(StrEnum):
    """Why a typed date was not read (see read_when)."""

    UNCLEAR = "unclear"  # a word not understood, two dates, an impossible date or time
    NO_TIME = "no_time"  # a day but no time: « samedi », « 5 décembre »
    WEEKDAY = "weekday"  # a weekday that is not the date's: « vendredi 5 décembre 2026 »


def read_when(text: str, now: datetime, zone: tzinfo) -> datetime | WhenProblem:
    """A date and time as the French (and English) write them, in `zone`, or why not.

    "14/03/2027 14:00", "14/03 14h30", « le 12 décembre 2026 à 10h », « 5 déc. 14h »,
    "December 5 2pm", "5 Dec 14:00", "demain 14h", "samedi 10h", "tomorrow 2pm", "14h"
    (today if still to come, else tomorrow). A date without a year is its next occurrence;
    a weekday alone means its next occurrence (today if the time is still to come).
    A weekday beside a date must be that date's weekday: otherwise the answer is refused
    (WEEKDAY), never silently corrected. A time is required (NO_TIME), and every word must be
    understood: « hier 14h » or « bientôt » are UNCLEAR rather than guessed.
    """
    rest = _fold(text)
    local_now = now.astimezone(zone)
    today = local_now.date()

    def take(pattern: re.Pattern[str]) -> list[re.Match[str]]:
        nonlocal rest
        found = list(pattern.finditer(rest))
        rest = pattern.sub(" ", rest)
        return found

    dates: list[tuple[int, int, str | None]] = [
        (int(d), int(m), y) for d, m, y in (x.groups() for x in take(_DATE))
    ]
    dates += [(int(d), _MONTHS[m], y) for d, m, y in (x.groups() for x in take(_DAY_MONTH))]
    dates += [(int(d), _MONTHS[m], y) for m, d, y in (x.groups() for x in take(_MONTH_DAY))]
    clocks = take(_CLOCK)
    relatives = [_RELATIVE[x.group(1)] for x in take(_RELATIVE_WORDS)]
    weekdays = [_WEEKDAYS[x.group(1)] for x in take(_WEEKDAY_WORDS)]
    if any(w not in _FILLERS for w in re.findall(r"[^\W_]+", rest)):
        return WhenProblem.UNCLEAR
    if len(dates) + len(relatives) > 1 or len(weekdays) > 1 or len(clocks) > 1:
        return WhenProblem.UNCLEAR
    if not (dates or relatives or weekdays or clocks):
        return WhenProblem.UNCLEAR
    if not clocks:
        return WhenProblem.NO_TIME
    clock = clocks[0]
    hour, minute = int(clock.group(1)), int(clock.group(2) or 0)
    meridiem = clock.group(3) or clock.group(4)
    if meridiem:
        if not 1 <= hour <= 12:
            return WhenProblem.UNCLEAR
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        return WhenProblem.UNCLEAR
    to_come = (hour, minute) > (local_now.hour, local_now.minute)
    if dates:
        d, m, y = dates[0]
        year = (int(y) + (2000 if len(y) == 2 else 0)) if y else today.year
        try:
            day = date(year, m, d)
            if y is None and day < today:
                day = date(year + 1, m, d)
        except ValueError:
            return WhenProblem.UNCLEAR
    elif relatives:
        day = today + timedelta(days=relatives[0])
    elif weekdays:
        day = today + timedelta(days=(weekdays[0] - today.weekday()) % 7)
        if day == today and not to_come:
            day += timedelta(days=7)
    else:
        day = today if to_come else today + timedelta(days=1)
    if weekdays and day.weekday() != weekdays[0]:
        return WhenProblem.WEEKDAY
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def parse_when(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    """The moment `text` names (see read_when), or None if it is not entirely clear."""
    found = read_when(text, now, zone)
    return found if isinstance(found, datetime) else None
