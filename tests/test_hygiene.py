"""Input hygiene and where the bot talks (issue 9): private chats only, a known sender,
invisible and control characters, numbers in other scripts, wishes within the event, a CSV
that runs no formula."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.app import BotApp
from core.models import Item
from sandbox.scenarios import (
    association_profile,
    company_profile,
    finish_with_one_need,
    publish_schedule,
)
from sandbox.standin import BotApiStandIn
from storage import events, organisations
from tests.harness import ORGANISER, seed, svc
from tests.test_authorisation import START, forge, snapshot


async def test_in_a_group_the_bot_answers_once_with_a_link_and_stores_nothing(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """/start and /profile in a group: one answer each, a link to the private chat, no
    registration keyed to the group, no personal data posted; other messages and forged
    buttons there get nothing posted either."""
    group = standin.group(-100_123)
    member = await seed(app, standin, company_profile(70_001, "Pixel & Co", (Item("web"),)))
    user = standin.users[member.owner_user_id]
    before = await snapshot(svc(app).db)
    shown = await user.send_in_group(group, "/start")
    assert "conversation privée" in shown[-1].text
    assert shown[-1].reply_markup is not None
    [[button]] = shown[-1].reply_markup["inline_keyboard"]
    assert button["url"] == "https://t.me/passerelle_test_bot"
    shown = await user.send_in_group(group, "/profile")
    assert "conversation privée" in shown[-1].text
    standin.push_group_message(user, group, "Bonjour tout le monde")
    message = standin.chat(group)[-1]
    await user.press(data="r:confirm", message=message, expect=0)
    await user.press(data=f"m:i:{member.id}", message=message, expect=0)
    await asyncio.sleep(0.3)
    bot_posts = [m for m in standin.chat(group) if m.from_bot]
    assert len(bot_posts) == 2
    assert not any("example.org" in m.text or "Pixel" in m.text for m in bot_posts)
    assert await snapshot(svc(app).db) == before


async def test_a_private_message_without_a_sender_is_refused_without_a_crash(
    standin: BotApiStandIn, app: BotApp, caplog: pytest.LogCaptureFixture
) -> None:
    user = standin.user(70_100, "Sans nom")
    mark = standin.event_count
    standin.push_message(user, text="/start", sender=False)
    shown = await standin.wait_for_chat(user.id, mark)
    assert "rien n'a été enregistré" in shown[-1].text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    row = await svc(app).db.fetchone("SELECT COUNT(*) FROM conversations")
    assert row is not None
    assert row[0] == 0


async def test_invisible_and_control_characters_are_removed_or_refused(
    standin: BotApiStandIn, app: BotApp, caplog: pytest.LogCaptureFixture
) -> None:
    """A name with a right-to-left override, NUL, a control character, a zero-width space and
    a lone surrogate is stored without them; a description of only zero-width characters is
    refused as empty."""
    nina = standin.user(70_200, "Nina")
    await nina.send("/start")
    await nina.press("Français")
    await nina.press("Association")
    await nina.send("Les\u202e Petits\x00 Débrou\x07illards\u200b \ud800")
    shown = await nina.send("\u200b\u200d\u2060\ufeff", expect=2)
    assert "vide" in shown[0].text
    await nina.send("Ateliers\u2066 scientifiques")
    await nina.send("Strasbourg")
    await finish_with_one_need(nina, "site internet\u202e")
    org = await organisations.get_by_owner(svc(app).db, nina.id)
    assert org is not None
    assert org.name == "Les Petits Débrouillards"
    assert org.description == "Ateliers scientifiques"
    assert org.needs[0].detail == "site internet"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_numbers_in_other_scripts_get_the_usual_answer(
    standin: BotApiStandIn, app: BotApp, caplog: pytest.LogCaptureFixture
) -> None:
    """ "³" and "١٢" where the event form wants a number: "I need a number", asked again."""
    organiser = standin.user(ORGANISER, "Organisatrice")
    await organiser.send("/newevent")
    await organiser.send("Bourse d'échanges")
    await organiser.send("01/12/2026 14:00")
    await organiser.send("CCI")
    for answer in ("³", "١٢"):
        shown = await organiser.send(answer, expect=2)
        assert "J'attends un nombre" in shown[0].text
    shown = await organiser.send("7")
    assert "tables" in shown[-1].text.lower()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_wishes_only_about_participants_of_the_other_side(
    standin: BotApiStandIn, app: BotApp, caplog: pytest.LogCaptureFixture
) -> None:
    """Forged ☆ for an unknown id, the same side, or a non-participant: refused, nothing
    stored, no crash."""
    db, now = svc(app).db, svc(app).clock()
    event = await events.create(
        db, title="Bourse", starts_at=START, venue="CCI", minutes=7, tables=2, rounds=2,
        max_per_side=5, invite_code="wish71", organiser_user_id=ORGANISER, now=now,
    )  # fmt: skip
    asso = await seed(app, standin, association_profile(71_001, "Asso A"))
    other_asso = await seed(app, standin, association_profile(71_002, "Asso B"))
    company = await seed(app, standin, company_profile(71_003, "Société C", (Item("web"),)))
    outsider = await seed(app, standin, company_profile(71_004, "Société D", (Item("web"),)))
    for org in (asso, other_asso, company):
        await events.join(db, event.id, org.id, now)
    user = standin.users[asso.owner_user_id]
    for whom in (999_999, other_asso.id, outsider.id):
        answer = await forge(user, f"ew:{event.id}:{whom}")
        assert "autre côté" in answer
    assert await events.wishes(db, event.id) == set()
    await forge(user, f"ew:{event.id}:{company.id}")
    assert await events.wishes(db, event.id) == {(asso.id, company.id)}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_the_organisers_csv_runs_no_formula(standin: BotApiStandIn, app: BotApp) -> None:
    """A company named like a formula appears in the CSV as text (a leading apostrophe)."""
    db, now = svc(app).db, svc(app).clock()
    event = await events.create(
        db, title="Bourse", starts_at=START, venue="CCI", minutes=7, tables=1, rounds=1,
        max_per_side=5, invite_code="csv72", organiser_user_id=ORGANISER, now=now,
    )  # fmt: skip
    evil = await seed(
        app, standin, company_profile(72_001, '=HYPERLINK("http://x.example","clic")', ())
    )
    asso = await seed(app, standin, association_profile(72_002, "@Asso +Plus"))
    for org in (evil, asso):
        await events.join(db, event.id, org.id, now)
    organiser = standin.user(ORGANISER, "Organisatrice")
    cards = await organiser.send("/events")
    await publish_schedule(organiser, cards[-1])
    await standin.wait_for(lambda: any(m.document for m in organiser.bot_messages))
    document = next(m.document for m in organiser.bot_messages if m.document)
    assert document is not None
    # French spreadsheets split on ';'.
    cells = document[1].decode("utf-8-sig").splitlines()[1].split(";")
    assert cells[3].strip('"').startswith("'=HYPERLINK")
    assert cells[4] == "'@Asso +Plus"
