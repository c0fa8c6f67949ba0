"""/export end to end through the stand-in: the XLSX opened and read back, the CSV files in
their ZIP, the funders' report, formula injection, and organisers only."""

from __future__ import annotations

import asyncio
import csv
import io
import zipfile
from datetime import datetime

from openpyxl import load_workbook

from bot.app import BotApp
from core.partnerships import NudgeState
from core.pipeline import NudgeKind
from sandbox.standin import BotApiStandIn, ChatMessage, SimUser
from storage import moderation
from tests.console_data import small_network
from tests.harness import ORGANISER, Clock, svc


async def download(organiser: SimUser, label: str, menu: ChatMessage) -> tuple[str, bytes]:
    shown = await organiser.press(label, message=menu)
    document = shown[-1].document
    assert document is not None, shown[-1].text
    return document


async def test_the_whole_export_as_xlsx_reads_back(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    """Every table, localised headers, dates in Paris time, numbers as numbers, and a name
    starting with '=' kept as text (never a formula)."""
    await small_network(standin, app, clock, 50_000)
    organiser = standin.user(ORGANISER, "Organisatrice")
    menu = (await organiser.send("/export"))[-1]
    name, content = await download(organiser, "Tout, en XLSX", menu)
    assert name.endswith(".xlsx")
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == [
        "Organisations", "Partenariats", "Speed meetings", "Participants", "Rencontres",
        "Relances",
    ]  # fmt: skip
    organisations = list(book["Organisations"].iter_rows(values_only=True))
    assert organisations[0][:4] == ("N°", "Type", "Nom", "Description")
    assert len(organisations) == 1 + 5
    by_name = {row[2]: row for row in organisations[1:]}
    assert by_name["Les Tournesols"][7] == "Juridique"
    assert (
        by_name["Amis du Parc"][7]
        == "Site web (site internet); Communication et marketing (communication)"
    )
    assert by_name["Amis du Parc"][5] == "Grand Est"
    assert by_name["Amis du Parc"][1] == "Association"
    registered = by_name["Amis du Parc"][13]
    assert registered == datetime(2026, 11, 23, 12, 0), "12:00 in Paris (11:00 UTC)"
    sheet = book["Organisations"]
    cell = next(row[2] for row in sheet.iter_rows(min_row=2) if row[2].value == "=Agence Com")
    assert cell.data_type == "s", "a text, not a formula"
    assert cell.quotePrefix
    partnerships = list(book["Partenariats"].iter_rows(values_only=True))
    assert partnerships[0][8] == "Type de partenariat"
    skills = next(row for row in partnerships[1:] if row[11] == "Refonte du site internet")
    assert skills[3] == "réalisé"
    assert skills[8] == "Mécénat de compétences"
    assert skills[9] == "Pixel & Co → Amis du Parc"
    assert (skills[12], skills[13]) == (40, 2000)
    assert len(partnerships) == 1 + 3
    assert by_name["Amis du Parc"][6] == "active", "one organisation: the singular status"
    nudges = list(book["Relances"].iter_rows(values_only=True))
    assert len(nudges) > 1
    # Question and state in words, never the codes (profile_fresh, pending, cancelled...).
    codes = {k.value for k in NudgeKind} | {s.value for s in NudgeState}
    for row in nudges[1:]:
        assert row[1] not in codes, row
        assert row[6] not in codes, row
    assert "prise de contact ?" in {row[1] for row in nudges[1:]}
    entries = await moderation.audit_page(svc(app).db)
    assert entries[0].action == "export.xlsx"


async def test_the_csv_export_and_the_funders_report(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    """CSV files in UTF-8 with a BOM, one per table, formula-like cells defused; the funders'
    report for a period sums the partnerships by kind, hours and value."""
    await small_network(standin, app, clock, 51_000)
    organiser = standin.user(ORGANISER, "Organisatrice")
    menu = (await organiser.send("/export"))[-1]
    name, content = await download(organiser, "Tout, en CSV", menu)
    assert name.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert sorted(archive.namelist()) == sorted(
        f"{n}.csv"
        for n in ("organisations", "partenariats", "speed-meetings", "participants",
                  "rencontres", "relances")
    )  # fmt: skip
    raw = archive.read("organisations.csv")
    assert raw.startswith(b"\xef\xbb\xbf"), "a BOM, so that Excel reads the accents"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["N°", "Type", "Nom"]
    assert "'=Agence Com" in [row[2] for row in rows[1:]]
    assert "2026-11-23 12:00" in [row[13] for row in rows[1:]]

    menu = (await organiser.send("/export 2026"))[-1]
    name, content = await download(organiser, "Bilan financeurs : 2026", menu)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Bilan", "Partenariats", "Speed meetings"]
    summary = list(book["Bilan"].iter_rows(values_only=True))
    assert summary[0] == ("Poste", "Nombre", "Heures", "Valeur (€)")
    assert summary[1][0] == "Période : 2026"
    # 2026 holds the skills record only (the goods one was confirmed on 2 January 2027).
    assert summary[2] == ("Partenariats enregistrés (total)", 1, 40, 2000)
    assert summary[3] == ("Mécénat de compétences", 1, 40, 2000)
    assert len(list(book["Partenariats"].iter_rows())) == 1 + 1
    actions = [e.action for e in await moderation.audit_page(svc(app).db)]
    assert actions[:2] == ["export.report", "export.csv"]


async def test_only_organisers_export(standin: BotApiStandIn, app: BotApp, clock: Clock) -> None:
    await small_network(standin, app, clock, 52_000)
    intruder = standin.users[52_011]
    shown = await intruder.send("/export")
    assert "réservée aux organisateurs" in shown[-1].text
    organiser = standin.user(ORGANISER, "Organisatrice")
    menu = (await organiser.send("/export"))[-1]
    before = len(intruder.bot_messages)
    await intruder.press(data="ex:x", message=menu, expect=0)
    await asyncio.sleep(0.2)
    assert len(intruder.bot_messages) == before
    assert not any(m.document for m in intruder.bot_messages)
    answers = [str(a.get("text")) for a in standin.callback_answers.values()]
    assert any("réservée aux organisateurs" in a for a in answers)
