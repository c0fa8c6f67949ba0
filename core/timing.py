"""Durations written as settings ("14d", "3h", "90s") and quiet hours in a time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

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
