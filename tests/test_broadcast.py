"""/broadcast and /news end to end: write, preview, confirm; delivered through the outbox
outside quiet hours, one news a day at most; anyone can turn the news off."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bot.app import BotApp
from core.models import Item
from handlers import broadcast_steps
from sandbox.scenarios import association_profile, company_profile
from sandbox.standin import BotApiStandIn, SimUser
from storage import moderation, outbox
from storage.db import Database
from tests.harness import ORGANISER, Clock, bot_running, seed, svc


def news_of(user: SimUser) -> list[str]:
    return [m.text for m in user.bot_messages if "nouvelles du réseau" in m.text]


async def broadcast(organiser: SimUser, audience: str, text: str) -> str:
    """Write, preview, send; returns the preview's summary."""
    await organiser.send("/broadcast")
    await organiser.press(audience)
    preview = await organiser.send(text, expect=3)
    assert "Aperçu" in preview[0].text
    assert text.split("\n", maxsplit=1)[0] in preview[1].text
    summary = preview[-1].text
    shown = await organiser.press("Envoyer", message=preview[-1])
    assert "Actualité en route" in shown[-1].text
    return summary


def test_the_diagram_is_the_step_table() -> None:
    """broadcast.mmd is exactly what the step table draws (broadcast_steps.diagram() redraws
    it)."""
    drawn = (Path(broadcast_steps.__file__).parent / "broadcast.mmd").read_text(encoding="utf-8")
    assert drawn == broadcast_steps.diagram()


async def test_news_to_one_side_respects_opt_out_quiet_hours_and_the_daily_cap(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    for n in range(3):
        await seed(app, standin, association_profile(60_000 + n, f"Asso {n}"))
    await seed(app, standin, company_profile(60_010, "Pixel & Co", (Item("web"),)))
    first, second, third = (standin.users[60_000 + n] for n in range(3))
    company = standin.users[60_010]
    shown = await third.send("/news off")
    assert "ne recevrez plus les actualités" in shown[-1].text

    organiser = standin.user(ORGANISER, "Organisatrice")
    summary = await broadcast(
        organiser, "Les associations", "Assemblée <générale> & apéro\nJeudi 18 h"
    )
    assert "2 organisations" in summary
    assert "1 ont coupé les actualités" in summary
    await standin.wait_for(lambda: bool(news_of(first)) and bool(news_of(second)), 10)
    [received] = news_of(first)
    assert "Assemblée <générale> & apéro\nJeudi 18 h" in received
    assert news_of(third) == []
    assert news_of(company) == []

    # A second news the same day waits for the next morning (one a day); at night too.
    await broadcast(organiser, "Toutes les organisations", "Deuxième nouvelle")
    await standin.wait_for(lambda: bool(news_of(company)), 10)
    await asyncio.sleep(0.3)
    assert len(news_of(first)) == 1
    clock.moment = clock.moment.replace(hour=21, minute=0)  # 22:00 in Paris: quiet hours
    await asyncio.sleep(0.3)
    assert len(news_of(first)) == 1
    clock.advance(hours=10)  # 08:00 in Paris, the next day
    await standin.wait_for(lambda: len(news_of(first)) == 2, 10)
    assert "Deuxième nouvelle" in news_of(first)[-1]
    assert len(news_of(third)) == 0
    assert "news" in await outbox.kinds_sent(svc(app).db, first.id)
    actions = [e.action for e in await moderation.audit_page(svc(app).db)]
    assert actions.count("news.send") == 2


async def test_the_button_under_a_news_turns_it_off_for_that_person_only(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    await seed(app, standin, association_profile(61_000, "Asso A"))
    await seed(app, standin, association_profile(61_001, "Asso B"))
    reader, other = standin.users[61_000], standin.users[61_001]
    organiser = standin.user(ORGANISER, "Organisatrice")
    await broadcast(organiser, "Toutes les organisations", "Première")
    await standin.wait_for(lambda: bool(news_of(reader)), 10)
    message = next(m for m in reader.bot_messages if "Première" in m.text)
    shown = await reader.press("Ne plus recevoir", message=message)
    assert "ne recevrez plus" in shown[-1].text
    shown = await reader.send("/news")
    assert "ne recevez pas" in shown[-1].text
    clock.advance(days=1)
    summary = await broadcast(organiser, "Toutes les organisations", "Seconde")
    assert "1 organisation" in summary
    await standin.wait_for(lambda: len(news_of(other)) == 2, 10)
    assert len(news_of(reader)) == 1
    shown = await reader.send("/news on")
    assert "de nouveau" in shown[-1].text


async def test_only_organisers_broadcast_and_a_forged_send_changes_nothing(
    standin: BotApiStandIn, app: BotApp
) -> None:
    await seed(app, standin, association_profile(62_000, "Asso A"))
    intruder = standin.users[62_000]
    shown = await intruder.send("/broadcast")
    assert "réservée aux organisateurs" in shown[-1].text
    organiser = standin.user(ORGANISER, "Organisatrice")
    await organiser.send("/broadcast")
    await organiser.press("Toutes les organisations")
    preview = await organiser.send("Bonjour", expect=3)
    await intruder.press(data="bc:send", message=preview[-1], expect=0)
    await asyncio.sleep(0.3)
    answers = [str(a.get("text")) for a in standin.callback_answers.values()]
    assert any("réservée aux organisateurs" in a for a in answers)
    assert news_of(intruder) == []
    assert [e.action for e in await moderation.audit_page(svc(app).db)] == []
    shown = await organiser.press("Annuler", message=preview[-1])
    assert "Rien n'a été envoyé" in shown[-1].text


async def test_typing_a_buttons_label_presses_it(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    """On a phone, typing « associations » at the audience question or « envoyer » under the
    preview works like the button; other words are told to tap a button, and change nothing."""
    await seed(app, standin, association_profile(63_000, "Asso A"))
    await seed(app, standin, association_profile(63_001, "Asso B"))
    await seed(app, standin, company_profile(63_010, "Pixel & Co", (Item("web"),)))
    asso, company = standin.users[63_000], standin.users[63_010]
    organiser = standin.user(ORGANISER, "Organisatrice")
    await organiser.send("/broadcast")
    shown = await organiser.send("bonjour")
    assert "Touchez l'un des boutons" in shown[-1].text
    shown = await organiser.send("associations")
    assert "Écrivez l'actualité" in shown[-1].text
    preview = await organiser.send("Première version", expect=3)
    assert "Première version" in preview[1].text
    assert "Les associations — 2 organisations" in preview[-1].text
    shown = await organiser.send("peut-être")
    assert "Touchez l'un des boutons" in shown[-1].text
    shown = await organiser.send("Réécrire")
    assert "Écrivez l'actualité" in shown[-1].text
    await organiser.send("Seconde version", expect=3)
    shown = await organiser.send("envoyer")
    assert "Actualité en route vers 2 organisations" in shown[-1].text
    await standin.wait_for(lambda: bool(news_of(asso)), 10)
    assert "Seconde version" in news_of(asso)[0]
    assert news_of(company) == []
    # The form is over: typed again, « envoyer » sends nothing twice.
    shown = await organiser.send("envoyer")
    assert "Actualité en route" not in shown[-1].text
    actions = [e.action for e in await moderation.audit_page(svc(app).db)]
    assert actions.count("news.send") == 1


async def test_a_draft_stored_by_the_previous_version_goes_on(
    standin: BotApiStandIn, db_path: Path
) -> None:
    """A news form half written before an upgrade (a plain dict then, keys left out until
    answered) is finished after it."""
    clock = Clock()
    organisers = {"organiser_ids": str(ORGANISER)}
    async with bot_running(standin, db_path, clock=clock, **organisers) as (app, _):
        await seed(app, standin, company_profile(64_010, "Pixel & Co", (Item("web"),)))
        await seed(app, standin, association_profile(64_000, "Asso A"))
        organiser = standin.user(ORGANISER, "Organisatrice")
        await organiser.send("/broadcast")

    async def stored(state: str, data: dict[str, object]) -> None:
        db = await Database.open(db_path)
        await db.execute_write(
            "UPDATE conversations SET data = ?, state = ? WHERE name = 'broadcast'",
            (json.dumps(data), state),
        )
        await db.close()

    # What the previous version stored at the audience question, then at the preview.
    await stored("audience", {"lang": "fr"})
    async with bot_running(standin, db_path, clock=clock, **organisers) as (app, _):
        await organiser.press("Les entreprises")
        preview = await organiser.send("Salon de l'emploi", expect=3)
        assert "Les entreprises — 1 organisation" in preview[-1].text
    old = {"lang": "fr", "audience": "company", "event_id": None, "event_title": None}
    await stored("preview", {**old, "text": "Salon de l'emploi"})
    async with bot_running(standin, db_path, clock=clock, **organisers) as (app, _):
        shown = await organiser.press("Envoyer", message=preview[-1])
        assert "Actualité en route vers 1 organisation" in shown[-1].text
        company = standin.users[64_010]
        await standin.wait_for(lambda: bool(news_of(company)), 10)
        assert "Salon de l'emploi" in news_of(company)[0]
        assert news_of(standin.users[64_000]) == []
