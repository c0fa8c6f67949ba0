"""Durations written as settings ("14d", "3h", "90s"), quiet hours in a time zone, and dates and
times as people type them ("samedi 10h")."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

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
_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?\b", re.ASCII)
_CLOCK = re.compile(r"\b(\d{1,2})\s*(?:(?:h|:)\s*(\d{2})?|(am|pm))(?!\d)", re.ASCII | re.IGNORECASE)


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(c for c in plain if not unicodedata.combining(c))


def parse_when(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    """A date and time as the French (and English) write them, in `zone`; None if unclear.

    "14/03/2027 14:00", "14/03 14h30", "demain 14h", "samedi 10h", "tomorrow 2pm", "14h"
    (today if still to come, else tomorrow). A weekday means its next occurrence (today if the
    time is still to come). A time is required: "samedi" alone is unclear.
    """
    folded = _fold(text)
    clock = _CLOCK.search(_DATE.sub(" ", folded))
    if clock is None:
        return None
    hour, minute = int(clock.group(1)), int(clock.group(2) or 0)
    if clock.group(3):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if clock.group(3).lower() == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    local_now = now.astimezone(zone)
    today = local_now.date()
    date_match = _DATE.search(folded)
    day = None
    if date_match is not None:
        d, m, y = date_match.groups()
        year = int(y) + (2000 if y and len(y) == 2 else 0) if y else today.year
        try:
            day = date(year, int(m), int(d))
        except ValueError:
            return None
        if y is None and day < today:
            day = date(year + 1, int(m), int(d))
    else:
        for word, offset in sorted(_RELATIVE.items(), key=lambda kv: -len(kv[0])):
            if word in folded:
                day = today + timedelta(days=offset)
                break
        for word, weekday in _WEEKDAYS.items():
            if day is None and re.search(rf"\b{word}\b", folded):
                day = today + timedelta(days=(weekday - today.weekday()) % 7)
                if day == today and (hour, minute) <= (local_now.hour, local_now.minute):
                    day += timedelta(days=7)
    if day is None:
        day = today
        if (hour, minute) <= (local_now.hour, local_now.minute):
            day += timedelta(days=1)
    return datetime.combine(day, time(hour, minute), tzinfo=zone)
