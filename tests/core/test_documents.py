"""The files of a speed meeting: calendar, CSV for Excel, and the grid picture."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from PIL import Image

from core.documents import EventFacts, calendar_file, grid_csv, grid_picture, safe_cell
from core.speedmeeting import Meeting

START = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
EVENT = EventFacts(7, "Bourse", "Metz", 2, lambda n: START + timedelta(minutes=7 * n))
PARIS = ZoneInfo("Europe/Paris")
NAMES = {1: "Café Crème Société", 2: '=HYPERLINK("x")', 101: "Les Jardins du Kiem", 102: "@asso"}
MEETINGS = [Meeting(1, 101, 0, 1), Meeting(2, 102, 0, 2), Meeting(1, 102, 1, 1)]


def test_formulas_never_run_in_a_spreadsheet() -> None:
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("+33 6 12") == "'+33 6 12"
    assert safe_cell("-x") == "'-x"
    assert safe_cell("@SUM") == "'@SUM"
    assert safe_cell("Café") == "Café"
    assert safe_cell(3) == "3"


def test_the_csv_opens_in_french_excel_with_its_accents() -> None:
    data = grid_csv(
        EVENT, MEETINGS, NAMES, zone=PARIS,
        headers=["Tour", "Début", "Table", "Entreprise", "Association"], delimiter=";",
    )  # fmt: skip
    assert data.startswith(b"\xef\xbb\xbf"), "a BOM, so Excel reads UTF-8"
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Tour;Début;Table;Entreprise;Association"
    assert lines[1] == "1;14:00;1;Café Crème Société;Les Jardins du Kiem"
    assert "'=HYPERLINK" in lines[2]
    assert "'@asso" in lines[2]


def test_the_calendar_file_keeps_identities_and_versions() -> None:
    data = calendar_file(
        EVENT, MEETINGS[:1], NAMES, reader_is_company=False, now=START, table_word="table"
    )
    [entry] = Calendar.from_ical(data).walk("VEVENT")
    assert str(entry["UID"]) == "passerelle-event7-c1-a101@passerelle"
    assert int(entry["SEQUENCE"]) == 2
    assert "Café Crème Société (table 1)" in str(entry["SUMMARY"])


def test_the_grid_is_a_picture_readable_in_a_room() -> None:
    """A real font (accents drawn, not boxes) at a size readable from the back of a room."""
    data = grid_picture(
        EVENT, MEETINGS, NAMES, zone=PARIS,
        table_label=lambda n: f"Table {n}", round_label=lambda n, t: f"Tour {n}\n{t}",
    )  # fmt: skip
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (170 + 2 * 280, 56 + 2 * 76)
    # Text was drawn in the first cell (dark pixels), in colour.
    cell = image.crop((170 + 10, 56 + 8, 170 + 270, 56 + 30)).convert("RGB")
    colours = cell.getcolors(maxcolors=100_000) or []
    assert any(rgb != (255, 255, 255) for _, rgb in colours)
