"""The console's files: a workbook any spreadsheet opens, CSV that Excel reads, and no cell
that runs as a formula."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from core.export import Column, Kind, Table, XlsxBook, csv_file, csv_safe, sheet_name, xlsx

PARIS = ZoneInfo("Europe/Paris")
COLUMNS = (Column("N°", Kind.NUMBER), Column("Nom"), Column("Le", Kind.DATE))


def test_formula_like_text_is_defused_in_csv() -> None:
    for dangerous in ("=1+1", "+33 6", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert csv_safe(dangerous) == "'" + dangerous
    assert csv_safe("Les Tournesols") == "Les Tournesols"


def test_sheet_names_follow_excels_rules() -> None:
    assert sheet_name("Bilan: 2025/2026 [v2]") == "Bilan  2025 2026  v2"
    assert len(sheet_name("x" * 40)) == 31
    assert sheet_name("Relances", ["relances"]) == "Relances (2)"


def test_a_workbook_reads_back_with_dates_numbers_and_odd_text() -> None:
    """Summer and winter times in Paris, a control character dropped, sheets placed by
    position whatever order they were written in."""
    rows = [
        (1, "=cmd|' /C calc'!A0", "2026-07-14T10:00:00.000000+00:00"),
        (2.5, "Café <b> & \x07 « guillemets »", "2026-01-31T23:30:00.000000+00:00"),
        (None, None, None),
    ]
    book = XlsxBook(PARIS, date_format="dd/mm/yyyy hh:mm")
    book.add(Table("Deuxième", COLUMNS, []), 1)
    book.add(Table("Première", COLUMNS, rows), 0)
    found = load_workbook(io.BytesIO(book.finish()))
    assert found.sheetnames == ["Première", "Deuxième"]
    sheet = found["Première"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[1] == (1, "=cmd|' /C calc'!A0", datetime(2026, 7, 14, 12, 0))
    assert values[2] == (2.5, "Café <b> &  « guillemets »", datetime(2026, 2, 1, 0, 30))
    assert sheet["B2"].data_type == "s"
    assert sheet["B2"].quotePrefix
    assert not sheet["B3"].quotePrefix
    assert sheet["C2"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"


def test_csv_has_a_bom_local_times_and_defused_cells() -> None:
    data = csv_file(Table("t", COLUMNS, [(1, "=1+1", "2026-07-14T10:00:00.000000+00:00")]), PARIS)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["N°", "Nom", "Le"], ["1", "'=1+1", "2026-07-14 12:00"]]


def test_the_workbook_is_a_valid_zip_with_its_parts() -> None:
    content = xlsx([Table("A", COLUMNS, [])], PARIS)
    names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
    assert {"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"} <= names
