"""Files the organiser and participants receive: the calendar file, the grid as CSV and as a
picture to project. No Telegram here: plain values in, bytes out.

The picture uses DejaVu Sans (shipped in core/fonts with its licence): Pillow's default bitmap
font has no accents ("Caf□") and is unreadable from the back of a room.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import cache
from importlib import resources

from icalendar import Calendar
from icalendar import Event as CalendarEvent
from PIL import Image, ImageDraw, ImageFont

from core.speedmeeting import Meeting

RoundStart = Callable[[int], datetime]


@dataclass(frozen=True, slots=True)
class EventFacts:
    """What the files say about the event itself."""

    id: int
    title: str
    venue: str
    version: int  # the schedule's version: a re-issued calendar file updates its entries
    round_start: RoundStart


def calendar_file(
    event: EventFacts,
    meetings: Sequence[Meeting],
    others: Mapping[int, str],
    *,
    reader_is_company: bool,
    now: datetime,
    table_word: str,
) -> bytes:
    """One calendar entry per meeting. UIDs depend only on the event and the pair, and the
    sequence on the schedule version, so a re-issued file updates entries in place."""
    calendar = Calendar()
    calendar.add("prodid", "-//Passerelle//speed meetings//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    for meeting in meetings:
        other = others[meeting.association if reader_is_company else meeting.company]
        entry = CalendarEvent()
        entry.add(
            "uid",
            f"passerelle-event{event.id}-c{meeting.company}-a{meeting.association}@passerelle",
        )
        entry.add("sequence", event.version)
        entry.add("dtstamp", now)
        entry.add("dtstart", event.round_start(meeting.round))
        entry.add("dtend", event.round_start(meeting.round + 1))
        entry.add("summary", f"{event.title} — {other} ({table_word} {meeting.table})")
        entry.add("location", event.venue)
        calendar.add_component(entry)
    return bytes(calendar.to_ical())


def safe_cell(value: object) -> str:
    """A spreadsheet cell that cannot run a formula: text starting with =, +, -, @ (or a tab or
    carriage return, which some spreadsheets strip first) is prefixed with a quote."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def grid_csv(
    event: EventFacts,
    meetings: Sequence[Meeting],
    names: Mapping[int, str],
    *,
    zone: tzinfo,
    headers: Sequence[str],
    delimiter: str = ",",
) -> bytes:
    """The whole grid, a meeting a line. UTF-8 with a BOM, so that Excel shows the accents;
    French Excel expects ';' between columns (',' is its decimal comma)."""
    table = io.StringIO()
    writer = csv.writer(table, delimiter=delimiter)
    writer.writerow([safe_cell(h) for h in headers])
    for m in sorted(meetings, key=lambda m: (m.round, m.table)):
        start = event.round_start(m.round).astimezone(zone).strftime("%H:%M")
        row = [m.round + 1, start, m.table, names[m.company], names[m.association]]
        writer.writerow([safe_cell(cell) for cell in row])
    return table.getvalue().encode("utf-8-sig")


@cache
def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    with resources.as_file(resources.files("core").joinpath("fonts", name)) as path:
        return ImageFont.truetype(str(path), size)


def _fit(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """The text, shortened with an ellipsis until it fits `width` pixels."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def grid_picture(
    event: EventFacts,
    meetings: Sequence[Meeting],
    names: Mapping[int, str],
    *,
    zone: tzinfo,
    table_label: Callable[[int], str],
    round_label: Callable[[int, str], str],
) -> bytes:
    """Rounds down, tables across: who sits where, readable from the back of the room
    (22 px names in 280 px columns; companies in blue, associations in green)."""
    rounds = max((m.round for m in meetings), default=0) + 1
    tables = max((m.table for m in meetings), default=1)
    cell_w, cell_h, head_w, head_h, pad = 280, 76, 170, 56, 10
    image = Image.new("RGB", (head_w + tables * cell_w, head_h + rounds * cell_h), "white")
    draw = ImageDraw.Draw(image)
    head, body = _font(22, bold=True), _font(20)
    for t in range(tables):
        x = head_w + t * cell_w
        draw.rectangle((x, 0, x + cell_w, head_h), fill="#eef2f8")
        draw.text((x + pad, 14), table_label(t + 1), fill="black", font=head)
    for r in range(rounds):
        y = head_h + r * cell_h
        start = event.round_start(r).astimezone(zone).strftime("%H:%M")
        draw.multiline_text((pad, y + 6), round_label(r + 1, start), fill="black", font=head)
        draw.line((0, y, image.width, y), fill="#cccccc", width=2)
    for m in meetings:
        x, y = head_w + (m.table - 1) * cell_w, head_h + m.round * cell_h
        draw.rectangle((x + 3, y + 3, x + cell_w - 3, y + cell_h - 3), outline="#3366aa", width=2)
        width = cell_w - 2 * pad
        company = _fit(draw, names[m.company], body, width)
        association = _fit(draw, names[m.association], body, width)
        draw.text((x + pad, y + 8), company, fill="#1f3d7a", font=body)
        draw.text((x + pad, y + 40), association, fill="#1e6b34", font=body)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
