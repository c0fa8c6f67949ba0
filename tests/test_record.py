"""The partnership record form: its diagram, its draft and its buttons across versions."""

from __future__ import annotations

import json
from pathlib import Path

from core.records import Giver, Kind, Terms
from handlers import record_steps
from sandbox.standin import BotApiStandIn
from storage import partnerships
from storage.db import Database
from tests.harness import Clock, bot_running, svc
from tests.test_followup import introduce


def test_the_diagram_is_the_step_table() -> None:
    """record.mmd is exactly what the step table draws (record_steps.diagram() redraws it)."""
    drawn = (Path(record_steps.__file__).parent / "record.mmd").read_text(encoding="utf-8")
    assert drawn == record_steps.diagram()


def test_the_other_side_reads_the_giver_flipped() -> None:
    assert Giver.PROPOSER.flipped is Giver.OTHER
    assert Giver.OTHER.flipped is Giver.PROPOSER
    assert Giver.BOTH.flipped is Giver.BOTH
    terms = Terms(Giver.PROPOSER, Kind.GOODS, "Des ordinateurs", 3, None)
    assert terms.flipped.giver is Giver.OTHER
    assert terms.flipped.flipped == terms


async def test_a_draft_stored_by_the_previous_version_goes_on(
    standin: BotApiStandIn, db_path: Path
) -> None:
    """A record half written before an upgrade (a plain dict then) is finished after it."""
    clock = Clock()
    async with bot_running(standin, db_path, clock=clock) as (app, _):
        asso, company = await introduce(standin, app, 110_000)
        [partnership] = await partnerships.all_partnerships(svc(app).db)
        shown = await asso.send("/partnerships", expect=2)
        await asso.press("Nous sommes en contact", message=shown[-1])
        shown = await asso.send("/partnerships", expect=2)
        shown = await asso.press("Nous nous sommes rencontrés", message=shown[-1])
        await asso.press("Enregistrer notre partenariat", message=shown[-1])
        await asso.press("Pixel & Co nous apporte")
        await asso.press("Mécénat en nature")
        await asso.send("Dix ordinateurs portables reconditionnés")
    # What the previous version stored at the hours question: a dict without empty keys.
    old = {
        "pid": partnership.id,
        "other_name": "Pixel & Co",
        "lang": "fr",
        "giver": "other",
        "kind": "goods",
        "description": "Dix ordinateurs portables reconditionnés",
    }
    db = await Database.open(db_path)
    await db.execute_write(
        "UPDATE conversations SET data = ?, state = 'hours' WHERE name = 'record'",
        (json.dumps(old),),
    )
    await db.close()
    async with bot_running(standin, db_path, clock=clock) as (app, _):
        await asso.send("12")
        review = (await asso.press("Passer"))[-1]
        assert "Pixel & Co vous apporte" in review.text
        assert "Mécénat en nature" in review.text
        assert "12 heures" in review.text
        mark = standin.event_count
        await asso.press("Envoyer à Pixel & Co")
        [request] = await standin.wait_for_chat(company.id, mark, expect=1)
        assert "Vous apportez à Les Tournesols" in request.text
        assert "Dix ordinateurs portables" in request.text


async def test_typing_a_buttons_label_presses_it(standin: BotApiStandIn, db_path: Path) -> None:
    """On a phone, typing « dans les deux sens » or « envoyer » works like the button; a word
    that is no button's label is answered with what is expected, and nothing is stored."""
    async with bot_running(standin, db_path) as (app, _):
        asso, company = await introduce(standin, app, 111_000)
        shown = await asso.send("/partnerships", expect=2)
        await asso.press("Nous sommes en contact", message=shown[-1])
        shown = await asso.send("/partnerships", expect=2)
        shown = await asso.press("Nous nous sommes rencontrés", message=shown[-1])
        await asso.press("Enregistrer notre partenariat", message=shown[-1])
        wrong = await asso.send("peut-être", expect=2)
        assert "bouton" in wrong[0].text
        [kind] = (await asso.send("dans les deux sens"))[-1:]
        assert "Mécénat en nature" in str(kind.reply_markup)
        await asso.send("mecenat en nature")
        await asso.send("Dix ordinateurs portables reconditionnés")
        await asso.send("passer")
        review = (await asso.send("Passer"))[-1]
        assert "Dans les deux sens avec Pixel & Co" in review.text
        assert "Mécénat en nature" in review.text
        mark = standin.event_count
        await asso.send("📨 envoyer a pixel & co pour confirmation")
        [request] = await standin.wait_for_chat(company.id, mark, expect=1)
        assert "Dix ordinateurs portables" in request.text
