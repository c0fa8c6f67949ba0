"""Tables as files for the organisers: XLSX workbooks and CSV (UTF-8 with a BOM, one file per
table in a ZIP). Pure: rows in, bytes out.

Why our own XLSX writer: XlsxWriter took about 3 s per million cells here (openpyxl twice
that), and a network's whole export is over a million cells; writing the SpreadsheetML parts
directly takes a fifth of that (BENCHMARKS.md). The workbook uses the plainest parts of the
format (shared strings, one date style, a bold header, a frozen first row), and the tests read
every file back with openpyxl.

Formula injection: a text cell starting with = + - @ or a tab / carriage return could run as a
formula in a spreadsheet. In XLSX such cells are stored as text with Excel's "quote prefix"
(shown as typed, never evaluated); in CSV they get a leading apostrophe, as OWASP advises.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import Enum
from xml.sax.saxutils import escape

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold at all (a pasted control character would break the file).
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EXCEL_EPOCH = datetime(1899, 12, 30)
_DAY = timedelta(days=1)
# Excel's limits: 31 characters in a sheet name (and none of []:*?/\), 32,767 in a cell.
MAX_SHEET_NAME = 31
MAX_CELL = 32_767


class Kind(Enum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"  # a stored UTC time (ISO text), shown in the network's zone


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT
    width: int = 14


@dataclass(frozen=True, slots=True)
class Table:
    """One sheet (XLSX) or one file (CSV): a name, its columns and rows of plain values
    (str, int, float, None; dates as stored UTC ISO text)."""

    name: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[object]]


def is_dangerous(text: str) -> bool:
    return text.startswith(DANGEROUS_START)


def csv_safe(text: str) -> str:
    """A text cell that no spreadsheet will run as a formula."""
    return "'" + text if is_dangerous(text) else text


def _local(zone: tzinfo) -> Callable[[object], datetime | None]:
    def convert(value: object) -> datetime | None:
        if value is None or value == "":
            return None
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        return moment.astimezone(zone).replace(tzinfo=None)

    return convert


# --- CSV ------------------------------------------------------------------------------------


def csv_file(table: Table, zone: tzinfo) -> bytes:
    """One table as CSV in UTF-8 with a BOM (so that Excel reads the accents right)."""
    local = _local(zone)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_safe(c.header) for c in table.columns])
    kinds = [c.kind for c in table.columns]
    for row in table.rows:
        cells: list[object] = []
        for kind, value in zip(kinds, row, strict=True):
            if value is None:
                cells.append("")
            elif kind is Kind.DATE:
                moment = local(value)
                cells.append(
                    ""
                    if moment is None
                    else f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
                    f" {moment.hour:02d}:{moment.minute:02d}"
                )
            elif kind is Kind.NUMBER:
                cells.append(value)
            else:
                cells.append(csv_safe(str(value)))
        writer.writerow(cells)
    return out.getvalue().encode("utf-8")


def csv_zip(tables: Sequence[Table], zone: tzinfo, names: Sequence[str]) -> bytes:
    """Every table as its own CSV file (named by `names`), in one ZIP archive."""
    archive = CsvArchive(zone)
    for table, name in zip(tables, names, strict=True):
        archive.add(table, name)
    return archive.finish()


# --- XLSX -----------------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Cell styles (cellXfs): 0 plain, 1 bold header, 2 date, 3 text shown as typed (quote prefix).
_HEADER, _DATE, _QUOTED = 1, 2, 3


def _column_letters(count: int) -> list[str]:
    letters = []
    for index in range(count):
        name, number = "", index + 1
        while number:
            number, rest = divmod(number - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def _xml_text(text: str) -> str:
    return escape(_ILLEGAL_XML.sub("", text[:MAX_CELL]))


def sheet_name(name: str, taken: Iterable[str] = ()) -> str:
    """A name Excel accepts: no []:*?/\\, at most 31 characters, unique in the workbook."""
    clean = re.sub(r"[\[\]:*?/\\]", " ", name).strip("' ") or "Sheet"
    clean = clean[:MAX_SHEET_NAME]
    used = {t.lower() for t in taken}
    candidate, number = clean, 2
    while candidate.lower() in used:
        suffix = f" ({number})"
        candidate = clean[: MAX_SHEET_NAME - len(suffix)] + suffix
        number += 1
    return candidate


class _Strings:
    """The workbook's shared string table: each text once, cells refer to it by number."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def xml(self) -> str:
        items = "".join(
            f'<si><t xml:space="preserve">{_xml_text(text)}</t></si>' for text in self.index
        )
        return f'{_HEAD}<sst xmlns="{_MAIN}" uniqueCount="{len(self.index)}">{items}</sst>'


class _Serials:
    """Stored UTC times as Excel serial numbers of the network's local time.

    Stored times all have one shape (storage.db.to_db_time: "2026-01-31T23:30:00.000000+00:00"),
    so the local offset is worked out once per UTC hour and the minutes are added (European
    zones change their offset on whole UTC hours): a full export has hundreds of thousands of
    times. Any other shape goes the long way."""

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self.hours: dict[str, float] = {}

    def __call__(self, value: object) -> float | None:
        text = value if isinstance(value, str) else None
        if text is not None and len(text) == 32 and text.endswith("+00:00"):
            hour = self.hours.get(text[:13])
            if hour is None:
                start = datetime.fromisoformat(text[:13] + ":00:00+00:00").astimezone(self.zone)
                hour = self.hours[text[:13]] = (start.replace(tzinfo=None) - _EXCEL_EPOCH) / _DAY
            return hour + (int(text[14:16]) * 60 + float(text[17:26])) / 86_400
        moment = _local(self.zone)(value)
        return None if moment is None else (moment - _EXCEL_EPOCH) / _DAY


def _sheet(table: Table, strings: _Strings, zone: tzinfo) -> str:
    """One worksheet's XML. The loop is written for speed (a cell at a time, over a million of
    them in a network's export): no call per cell but the date conversion."""
    letters = _column_letters(len(table.columns))
    serial = _Serials(zone)
    kinds = [c.kind for c in table.columns]
    index = strings.index
    lookup = index.get
    text_kind, number_kind = Kind.TEXT, Kind.NUMBER
    header = []
    for letter, column in zip(letters, table.columns, strict=True):
        found = lookup(column.header)
        if found is None:
            found = index[column.header] = len(index)
        header.append(f'<c r="{letter}1" t="s" s="{_HEADER}"><v>{found}</v></c>')
    parts = [f'<row r="1">{"".join(header)}</row>']
    columns = list(zip(letters, kinds, strict=True))
    for number, row in enumerate(table.rows, start=2):
        cells = [f'<row r="{number}">']
        add = cells.append
        for (letter, kind), value in zip(columns, row, strict=True):
            if value is None or value == "":
                continue
            if kind is text_kind or (kind is number_kind and not isinstance(value, int | float)):
                text = value if isinstance(value, str) else str(value)
                found = lookup(text)
                if found is None:
                    found = index[text] = len(index)
                if text.startswith(DANGEROUS_START):
                    add(f'<c r="{letter}{number}" t="s" s="{_QUOTED}"><v>{found}</v></c>')
                else:
                    add(f'<c r="{letter}{number}" t="s"><v>{found}</v></c>')
            elif kind is number_kind:
                add(f'<c r="{letter}{number}"><v>{value!r}</v></c>')
            else:
                when = serial(value)
                if when is not None:
                    add(f'<c r="{letter}{number}" s="{_DATE}"><v>{when!r}</v></c>')
        add("</row>")
        parts.append("".join(cells))
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{c.width}" customWidth="1"/>'
        for i, c in enumerate(table.columns, start=1)
    )
    return (
        f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        "</sheetView></sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{widths}</cols><sheetData>{''.join(parts)}</sheetData></worksheet>"
    )


def _styles(date_format: str) -> str:
    return (
        f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
        f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{escape(date_format)}"/>'
        "</numFmts>"
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="4">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"'
        ' quotePrefix="1"/>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


class XlsxBook:
    """A workbook written a sheet at a time: each sheet is compressed into the archive as soon
    as it is added, so the caller can read the next table meanwhile (`add` is meant for a
    worker thread; call it for one sheet at a time)."""

    def __init__(self, zone: tzinfo, *, date_format: str = "yyyy-mm-dd hh:mm") -> None:
        self.zone = zone
        self.date_format = date_format
        self.strings = _Strings()
        self._sheets: dict[int, str] = {}
        self._out = io.BytesIO()
        # Level 1: the XML is very repetitive, so it already shrinks about tenfold, fast.
        self._archive = zipfile.ZipFile(self._out, "w", zipfile.ZIP_DEFLATED, compresslevel=1)

    def add(self, table: Table, position: int | None = None) -> None:
        """Write a sheet; `position` (from 0) places it among the others whatever the order
        they are added in (the positions used must end up being 0, 1, 2 ...)."""
        number = len(self._sheets) if position is None else position
        self._sheets[number] = table.name
        self._archive.writestr(
            f"xl/worksheets/sheet{number + 1}.xml", _sheet(table, self.strings, self.zone)
        )

    def finish(self) -> bytes:
        """The workbook's other parts (its sheets' list, styles, shared strings); the file."""
        count = len(self._sheets)
        assert sorted(self._sheets) == list(range(count)), "sheet positions with a gap"
        names: list[str] = []
        for position in range(count):
            names.append(sheet_name(self._sheets[position], names))
        content_types = (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for i in range(1, count + 1)
            )
            + '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
        )
        root_rels = (
            f'{_HEAD}<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'
        )
        workbook = (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            + "".join(
                f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
                for i, name in enumerate(names, start=1)
            )
            + "</sheets></workbook>"
        )
        workbook_rels = (
            f'{_HEAD}<Relationships xmlns="{_PKG}">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{_REL}/worksheet"'
                f' Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, count + 1)
            )
            + f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{count + 2}" Type="{_REL}/sharedStrings"'
            ' Target="sharedStrings.xml"/></Relationships>'
        )
        archive = self._archive
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        archive.writestr("xl/styles.xml", _styles(self.date_format))
        archive.writestr("xl/sharedStrings.xml", self.strings.xml())
        archive.close()
        return self._out.getvalue()


def xlsx(tables: Sequence[Table], zone: tzinfo, *, date_format: str = "yyyy-mm-dd hh:mm") -> bytes:
    """A workbook with one sheet per table: header in bold and frozen, dates as real dates
    in the network's zone, numbers as numbers, text as text."""
    book = XlsxBook(zone, date_format=date_format)
    for table in tables:
        book.add(table)
    return book.finish()


class CsvArchive:
    """CSV files (UTF-8 with a BOM) in a ZIP, a table at a time (like XlsxBook)."""

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self._out = io.BytesIO()
        self._archive = zipfile.ZipFile(self._out, "w", zipfile.ZIP_DEFLATED, compresslevel=6)

    def add(self, table: Table, name: str) -> None:
        self._archive.writestr(f"{name}.csv", csv_file(table, self.zone))

    def finish(self) -> bytes:
        self._archive.close()
        return self._out.getvalue()
