"""Privacy (issue 9): erasure that erases, history kept anonymous for the other side, export,
owner-only files, logs without personal data."""

from __future__ import annotations

import io
import json
import logging
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import logs
from bot.app import BotApp
from core.models import Item
from sandbox.scenarios import company_profile, register_association
from sandbox.standin import BotApiStandIn
from storage import organisations, partnerships, users
from tests.harness import ORGANISER, Clock, bot_running, seed, svc

# What register_association types, and the username the person has on Telegram.
SECRETS = (
    "Jardins <Partag",  # the name, as typed
    "Jardins &lt;Partag",  # the name, as HTML quotes it
    "chantiers d'insertion",  # the free-text description
    "Aline Schmitt",
    "aline@jardins.example",
    "88 00 00 01",
    "aline_jardins",
    "Brouillon confidentiel",  # typed in a form and never sent
)


def leftovers(database: Path) -> dict[str, list[str]]:
    """Which secrets appear, byte for byte, in the database and its -wal and -shm files."""
    found: dict[str, list[str]] = {}
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{database}{suffix}")
        content = path.read_bytes() if path.exists() else b""
        hits = [s for s in SECRETS if s.encode() in content]
        if hits:
            found[path.name] = hits
    return found


async def test_erasure_leaves_nothing_in_the_files_and_the_other_side_keeps_its_history(
    standin: BotApiStandIn, tmp_path: Path, clock: Clock
) -> None:
    """/delete confirmed: name, e-mail, phone, free text, an unsaved draft and the username are
    in none of the database, -wal and -shm files, while running, in a copy taken at that moment
    (what SIGKILL leaves), and after a checkpoint. The company still sees the pair, anonymous,
    in /partnerships and the organiser's figures."""
    database = tmp_path / "p.sqlite3"
    async with bot_running(standin, database, clock=clock, organiser_ids=str(ORGANISER)) as (
        app,
        _,
    ):
        pixel = await seed(app, standin, company_profile(60_002, "Pixel & Co", (Item("web"),)))
        company = standin.users[pixel.owner_user_id]
        aline = standin.user(60_001, "Aline", username="aline_jardins")
        await register_association(aline)
        await aline.send("/profile")
        await standin.wait_for(
            lambda: any("p:delete" in str(m.buttons) for m in aline.bot_messages)
        )
        profile = next(m for m in reversed(aline.bot_messages) if "p:delete" in str(m.buttons))
        # Aline asks, Pixel accepts: the introduction to Pixel carries her contact details.
        await aline.send("/matches")
        wanted = f"m:i:{pixel.id}"
        await standin.wait_for(lambda: any(wanted in str(m.buttons) for m in aline.bot_messages))
        card = next(m for m in reversed(aline.bot_messages) if wanted in str(m.buttons))
        mark = standin.event_count
        await aline.press("Intéressé", message=card)
        [request] = await standin.wait_for_chat(company.id, mark)
        await company.press("Accepter", message=request, expect=2)
        await standin.wait_for(
            lambda: any("Mise en relation" in m.text for m in aline.bot_messages)
        )
        # A record half-written: its description sits in a draft.
        listed = await aline.send("/partnerships", expect=2)
        await aline.press("Nous sommes en contact", message=listed[-1])
        listed = await aline.send("/partnerships", expect=2)
        shown = await aline.press("Nous nous sommes rencontrés", message=listed[-1])
        await aline.press("Enregistrer notre partenariat", message=shown[-1])
        await aline.press("Pixel & Co nous apporte")
        await aline.press("Mécénat de compétences")
        await aline.send("Brouillon confidentiel du projet")
        assert leftovers(database), "the test must find the secrets before the erasure"

        await aline.press("Supprimer", message=profile)
        shown = await aline.press("Oui, tout supprimer")
        assert "effacées" in shown[-1].text
        assert leftovers(database) == {}, "while running"
        copy = tmp_path / "killed"
        copy.mkdir()
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{database}{suffix}").exists():
                shutil.copy(f"{database}{suffix}", copy / f"p.sqlite3{suffix}")
        assert leftovers(copy / "p.sqlite3") == {}, "what a SIGKILL leaves"

        # The company keeps its history, anonymous, and so do the network's figures.
        shown = await company.send("/partnerships", expect=2)
        assert "une organisation qui a quitté Passerelle" in shown[-1].text
        assert len(await partnerships.all_partnerships(svc(app).db)) == 1
        shown = await standin.user(ORGANISER, "Organisatrice").send("/pipeline")
        assert "Pipeline des partenariats</b> (1)" in (shown[-1].html or "")
        assert await users.get_language(svc(app).db, aline.id) is None
        # Aline is a newcomer again, even though her record form was open: no dead end.
        for _ in range(2):
            shown = await aline.send("/profile")
            assert "/start" in shown[-1].text
    assert leftovers(database) == {}, "after the last checkpoint"
    with sqlite3.connect(copy / "p.sqlite3") as recovered:  # replays the copied -wal
        recovered.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert leftovers(copy / "p.sqlite3") == {}, "after recovering the copy"


async def test_mydata_sends_everything_kept_about_the_person(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """/mydata: a JSON file with the profile, contact details, needs and offers, requests."""
    aline = standin.user(61_001, "Aline", username="aline_jardins")
    await register_association(aline)
    shown = await aline.send("/mydata")
    assert shown[-1].document is not None
    name, content = shown[-1].document
    assert name.endswith(".json")
    data = json.loads(content)
    assert data["telegram_user_id"] == aline.id
    assert data["organisation"]["email"] == "aline@jardins.example"
    assert data["organisation"]["owner_username"] == "aline_jardins"
    assert {i["category"] for i in data["needs_and_offers"]} >= {"web", "team_building"}
    assert data["user"]["language"] == "fr"
    # Someone who never registered gets what little is kept: the language they chose.
    newcomer = standin.user(61_002, "Nina")
    await newcomer.send("/language")
    await newcomer.press("English")
    shown = await newcomer.send("/mydata")
    assert shown[-1].document is not None
    partial = json.loads(shown[-1].document[1])
    assert partial["organisation"] is None
    assert partial["user"]["language"] == "en"


async def test_the_database_and_its_folder_are_the_owners_only(
    standin: BotApiStandIn, tmp_path: Path
) -> None:
    """A fresh database: folder 0700, file and -wal 0600."""
    database = tmp_path / "new" / "data" / "p.sqlite3"
    async with bot_running(standin, database):
        assert stat.S_IMODE(database.parent.stat().st_mode) == 0o700
        for path in (database, Path(f"{database}-wal")):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


@pytest.fixture
def production_logging() -> Iterator[io.StringIO]:
    """The bot's logging as `python -m bot` sets it up at DEBUG, written to a buffer."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    levels = {n: logging.getLogger(n).level for n in ("telegram", "httpx", "httpcore")}
    logs.configure("DEBUG", [BotApiStandIn().token])
    buffer = io.StringIO()
    handler = root.handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(buffer)
    yield buffer
    root.handlers[:], root.level = saved
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


async def test_no_log_line_at_any_level_carries_personal_data_or_the_token(
    standin: BotApiStandIn,
    app: BotApp,
    production_logging: io.StringIO,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At DEBUG: a whole registration, then a handler failing with an exception whose message
    quotes a draft and the token. The log has the failure's type and place, none of the texts,
    names, e-mails, phones, nor the token."""
    aline = standin.user(62_001, "Aline", username="aline_jardins")
    await register_association(aline)

    async def broken(*_: object) -> None:
        # (Its source line is in the traceback: the secrets must not be literals here.)
        raise ValueError(" ".join((*SECRETS, standin.token)))

    monkeypatch.setattr(organisations, "get_by_owner", broken)
    await aline.send("/help")
    logging.getLogger("telegram.ext").warning("token %s in a warning", standin.token)
    written = production_logging.getvalue()
    assert "ValueError" in written
    assert "handler failed on update" in written
    for secret in (*SECRETS, standin.token, "Nous animons des jardins"):
        assert secret not in written, [line for line in written.splitlines() if secret in line]
