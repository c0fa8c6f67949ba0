"""Follow-through end to end: nudges, the pipeline, the two-party record, durability."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from bot.app import BotApp
from core.models import Contact, Item
from core.pipeline import Stage
from sandbox.scenarios import association_profile, company_profile
from sandbox.standin import BotApiStandIn, ChatMessage, SimUser
from storage import partnerships
from tests.harness import ORGANISER, Clock, ask_and_accept, bot_running, seed, svc


async def introduce(standin: BotApiStandIn, app: BotApp, base: int) -> tuple[SimUser, SimUser]:
    """An association asks, a company accepts: the pair is introduced. Returns (asso, company)."""
    asso, company = await ask_and_accept(standin, app, base)
    await standin.wait_for(lambda: any("Mise en relation" in m.text for m in asso.bot_messages))
    return asso, company


async def wait_for_text(
    standin: BotApiStandIn, user: SimUser, mark: int, words: str
) -> ChatMessage:
    def arrived() -> bool:
        return any(words in m.text for m in standin.chat(user.id)[-5:] if m.from_bot)

    await standin.wait_for(arrived, 10)
    assert standin.event_count > mark
    return next(m for m in reversed(user.bot_messages) if words in m.text)


async def stage_of(app: BotApp) -> Stage:
    [partnership] = await partnerships.all_partnerships(svc(app).db)
    return partnership.stage


async def test_a_pair_goes_from_introduction_to_outcome(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    """Contact nudge → in contact → met → a record both confirm → outcome check-in → done,
    with /partnerships showing each stage."""
    asso, company = await introduce(standin, app, 10_000)
    shown = await asso.send("/partnerships", expect=2)
    assert "mis en relation" in shown[-1].text

    mark = standin.event_count
    clock.advance(days=7, seconds=1)
    nudge = await wait_for_text(standin, asso, mark, "Avez-vous pris contact")
    assert "Pixel & Co" in nudge.text
    shown = await asso.press("nous sommes en contact", message=nudge)
    assert "vous êtes en contact" in shown[-1].text
    assert await stage_of(app) is Stage.IN_CONTACT
    shown = await asso.send("/partnerships", expect=2)
    assert "en contact" in shown[-1].text

    shown = await asso.press("Nous nous sommes rencontrés", message=shown[-1])
    assert await stage_of(app) is Stage.MET
    await asso.press("Enregistrer notre partenariat", message=shown[-1])
    await asso.press("Pixel & Co nous apporte")
    await asso.press("Mécénat de compétences")
    await asso.send("Refonte de notre site internet par deux développeurs")
    await asso.send("40")
    review = (await asso.press("Passer"))[-1]
    assert "Pixel & Co vous apporte" in review.text
    assert "40 heures" in review.text
    mark = standin.event_count
    await asso.press("Envoyer à Pixel & Co")
    [request] = await standin.wait_for_chat(company.id, mark, expect=1)
    assert "Les Tournesols vous apporte" not in request.text
    assert "Vous apportez à Les Tournesols" in request.text
    mark = standin.event_count
    shown = await company.press("Je confirme", message=request)
    assert "Partenariat enregistré" in shown[-1].text
    recorded = await wait_for_text(standin, asso, mark, "Partenariat enregistré")
    assert "30/11/2026" in recorded.text, "dated the day both agreed"
    assert "Refonte de notre site internet" in recorded.text
    assert await stage_of(app) is Stage.AGREED
    shown = await company.send("/partnerships", expect=2)
    assert "partenariat conclu" in shown[-1].text
    assert "Refonte de notre site internet" in shown[-1].text

    mark = standin.event_count
    clock.advance(days=90, seconds=1)
    check = await wait_for_text(standin, asso, mark, "Où en est votre partenariat")
    await wait_for_text(standin, company, mark, "Où en est votre partenariat")
    shown = await asso.press("Réalisé", message=check)
    assert "est réalisé" in shown[-1].text
    assert await stage_of(app) is Stage.CARRIED_OUT
    shown = await asso.send("/partnerships", expect=2)
    assert "réalisé" in shown[-1].text
    # The company's copy of the same question is now void.
    company_check = next(m for m in reversed(company.bot_messages) if "Où en est" in m.text)
    await company.press("En cours", message=company_check, expect=0)
    assert await stage_of(app) is Stage.CARRIED_OUT


async def test_three_ignored_nudges_stop_and_the_organiser_sees_the_pair_stuck(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    """Unanswered questions are asked again, three times at most; then the pair is stuck."""
    asso, company = await introduce(standin, app, 20_000)
    for _ in range(4):
        clock.advance(days=7, seconds=1)
        await asyncio.sleep(0.6)
    questions = [m for m in asso.bot_messages if "Avez-vous pris contact" in m.text]
    assert len(questions) == 3
    assert "question posée à nouveau" in questions[-1].text
    [partnership] = await partnerships.all_partnerships(svc(app).db)
    assert partnership.stuck_since is not None

    organiser = standin.user(ORGANISER, "Organisatrice")
    shown = await organiser.send("/pipeline")
    assert "Bloqués" in shown[-1].text
    assert "Les Tournesols ↔ Pixel & Co" in shown[-1].text
    shown = await company.send("/pipeline")
    assert "réservée aux organisateurs" in shown[-1].text

    # Answering (even late) unsticks the pair and moves it on.
    await asso.press("nous sommes en contact", message=questions[-1], expect=0)
    shown = await asso.send("/partnerships", expect=2)
    await asso.press("Nous sommes en contact", message=shown[-1])
    [partnership] = await partnerships.all_partnerships(svc(app).db)
    assert partnership.stage is Stage.IN_CONTACT
    assert partnership.stuck_since is None


async def test_a_blocked_user_is_skipped_and_others_still_get_their_nudges(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    first_asso, _ = await introduce(standin, app, 30_000)
    second_asso, _ = await introduce(standin, app, 40_000)
    standin.block(first_asso.id)
    mark = standin.event_count
    clock.advance(days=7, seconds=1)
    await wait_for_text(standin, second_asso, mark, "Avez-vous pris contact")
    stored = await partnerships.due_nudges(svc(app).db, clock())
    assert all(n.recipient_id != 2 for n in stored), "the blocked one is skipped, not retried"


async def test_nudges_due_while_the_bot_was_down_are_sent_once_after_restart(
    standin: BotApiStandIn, db_path: Path
) -> None:
    """Stop the bot, let nudges fall due, start it: each is delivered exactly once."""
    clock = Clock()
    async with bot_running(standin, db_path, clock=clock) as (app, _):
        asso, _company = await introduce(standin, app, 50_000)
    clock.advance(days=15)  # both the contact check and the reminder fell due meanwhile
    async with bot_running(standin, db_path, clock=clock):
        await standin.wait_for(
            lambda: sum("Avez-vous pris contact" in m.text for m in asso.bot_messages) == 1, 10
        )
        await asyncio.sleep(0.6)
    async with bot_running(standin, db_path, clock=clock):
        await asyncio.sleep(0.6)
    assert sum("Avez-vous pris contact" in m.text for m in asso.bot_messages) == 1
    company = standin.users[50_001]
    assert sum("devait vous contacter" in m.text for m in company.bot_messages) == 1


async def test_an_unanswered_request_gets_one_reminder_then_expires(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    """One reminder after REQUEST_REMINDER_AFTER, with working buttons; then it expires."""
    await seed(app, standin, company_profile(60_001, "Pixel & Co", (Item("web", "sites web"),)))
    await seed(app, standin, association_profile(60_002, "Les Tournesols"))
    asso, company = standin.users[60_002], standin.users[60_001]
    shown = await asso.send("/matches", expect=2)
    await asso.press("Intéressé", message=shown[1])
    mark = standin.event_count
    clock.advance(days=7, seconds=1)
    reminder = await wait_for_text(standin, company, mark, "attend votre réponse")
    assert "Les Tournesols" in reminder.text
    clock.advance(days=7)
    await asyncio.sleep(0.6)
    assert sum("attend votre réponse" in m.text for m in company.bot_messages) == 1
    # Fourteen days on, the request has expired: the reminder's button says so.
    shown = await company.press("Accepter", message=reminder)
    assert "a expiré" in shown[-1].text


async def test_nudges_wait_for_the_morning_and_respect_the_daily_cap(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    """Three pairs for one association: at night nothing; in the morning two questions
    (NUDGES_PER_DAY), the third the next day."""
    await seed(app, standin, association_profile(70_000, "Les Tournesols"))
    asso = standin.users[70_000]
    for n in range(3):
        await seed(app, standin, company_profile(70_001 + n, f"Entreprise {n}", (Item("web"),)))
    shown = await asso.send("/matches", expect=4)
    for card in shown[1:]:
        org = svc(app).index.get(int(card.buttons[0][1].split(":")[2]))
        assert org is not None
        mark = standin.event_count
        await asso.press("Intéressé", message=card)
        company = standin.users[org.owner_user_id]
        [request] = await standin.wait_for_chat(company.id, mark, expect=1)
        await company.press("Accepter", message=request, expect=2)
    clock.moment = clock.moment.replace(hour=22) + timedelta(days=7)
    await asyncio.sleep(0.6)
    assert not any("Avez-vous pris contact" in m.text for m in asso.bot_messages)
    clock.moment = clock.moment.replace(hour=7, minute=30) + timedelta(days=1)
    await standin.wait_for(
        lambda: sum("Avez-vous pris contact" in m.text for m in asso.bot_messages) == 2, 10
    )
    await asyncio.sleep(0.6)
    assert sum("Avez-vous pris contact" in m.text for m in asso.bot_messages) == 2
    clock.advance(days=1)
    await standin.wait_for(
        lambda: sum("Avez-vous pris contact" in m.text for m in asso.bot_messages) == 3, 10
    )


async def test_the_other_side_can_correct_the_record_before_it_counts(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """A correction goes back to the first side; only the confirmed version is recorded."""
    asso, company = await introduce(standin, app, 80_000)
    shown = await asso.send("/partnerships", expect=2)
    await asso.press("Nous sommes en contact", message=shown[-1])
    shown = await asso.send("/partnerships", expect=2)
    shown = await asso.press("Nous nous sommes rencontrés", message=shown[-1])
    await asso.press("Enregistrer notre partenariat", message=shown[-1])
    await asso.press("Dans les deux sens")
    await asso.press("Innovation commune")
    await asso.send("Un atelier <réparation> & réemploi")
    await asso.press("Passer")
    mark = standin.event_count
    await asso.press("Passer")
    await asso.press("Envoyer à Pixel & Co")
    [request] = await standin.wait_for_chat(company.id, mark, expect=1)
    assert "Un atelier <réparation> & réemploi" in request.text

    review = (await company.press("Corriger", message=request))[-1]
    assert "Dans les deux sens" in review.text
    await company.press("Retour", message=review)
    await company.press("Retour")
    await company.press("Retour")
    await company.send("Un atelier réparation de vélos chaque mois")
    await company.send("24")
    await company.send("1 500 €")
    mark = standin.event_count
    await company.press("Envoyer à Les Tournesols")
    [second] = await standin.wait_for_chat(asso.id, mark, expect=1)
    assert "réparation de vélos" in second.text
    assert "1500 €" in second.text
    # The first proposal was replaced: confirming it now is refused.
    stale = await partnerships.get_record(svc(app).db, 1)
    assert stale is not None
    assert stale.status == "superseded"
    shown = await asso.press("Je confirme", message=second)
    assert "Partenariat enregistré" in shown[-1].text
    [partnership] = await partnerships.all_partnerships(svc(app).db)
    assert partnership.stage is Stage.AGREED
    record = await partnerships.confirmed_record(svc(app).db, partnership.id)
    assert record is not None
    assert record.hours == 24
    assert record.value_eur == 1500


async def test_a_paused_organisation_gets_no_nudge_until_it_resumes(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    asso, _company = await introduce(standin, app, 90_000)
    await asso.send("/pause")
    clock.advance(days=7, seconds=1)
    await asyncio.sleep(0.6)
    assert not any("Avez-vous pris contact" in m.text for m in asso.bot_messages)
    mark = standin.event_count
    await asso.send("/resume")
    await wait_for_text(standin, asso, mark, "Avez-vous pris contact")


async def test_partnerships_keep_the_partners_contact_details_at_hand(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """Weeks after the introduction, /partnerships still shows how to reach the partner:
    name, e-mail, phone and Telegram link when given, and nothing not given."""
    await seed(
        app,
        standin,
        replace(
            company_profile(100_001, "Pixel & Co", (Item("web", "sites web"),)),
            contact=Contact("Julie Martin", "julie@pixel.example", "+33 3 88 00 00 04"),
            owner_username="julie_pixel",
        ),
    )
    await seed(app, standin, association_profile(100_002, "Les Tournesols"))
    asso, company = standin.users[100_002], standin.users[100_001]
    shown = await asso.send("/matches", expect=2)
    mark = standin.event_count
    await asso.press("Intéressé", message=shown[1])
    [request] = await standin.wait_for_chat(company.id, mark, expect=1)
    await company.press("Accepter", message=request, expect=2)
    await standin.wait_for(lambda: any("Mise en relation" in m.text for m in asso.bot_messages))

    shown = await asso.send("/partnerships", expect=2)
    item = shown[-1]
    assert "Pixel & Co" in item.text
    assert "Coordonnées" in item.text
    assert "Julie Martin" in item.text
    assert "julie@pixel.example" in item.text
    assert "+33 3 88 00 00 04" in item.text
    assert 'href="https://t.me/julie_pixel"' in (item.html or "")
    # The other side sees the association's: its e-mail, and no phone line (none given).
    shown = await company.send("/partnerships", expect=2)
    assert f"a{100_002}@example.org" in shown[-1].text
    assert "📞" not in shown[-1].text
