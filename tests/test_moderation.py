"""Moderation end to end: "Signaler" from a card, /reports, /org, pause / remove / restore
(the owner told why), the audit log, and several organisers sharing the events."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.app import BotApp
from core.models import Item
from sandbox.scenarios import association_profile, company_profile
from sandbox.standin import BotApiStandIn, ChatMessage, SimUser
from storage import moderation
from tests.harness import ORGANISER, bot_running, seed, svc
from tests.test_events import create_event


async def text_arrives(standin: BotApiStandIn, user: SimUser, words: str) -> ChatMessage:
    await standin.wait_for(lambda: any(words in m.text for m in user.bot_messages), 10)
    return next(m for m in reversed(user.bot_messages) if words in m.text)


def now(user: SimUser, message: ChatMessage) -> ChatMessage:
    """The message as the phone shows it now (after edits)."""
    return next(m for m in user.messages if m.message_id == message.message_id)


async def test_a_report_reaches_the_organisers_who_pause_then_restore(
    standin: BotApiStandIn, app: BotApp
) -> None:
    pitchy = await seed(
        app, standin, company_profile(70_001, "Vendeurs & Cie", (Item("web", "sites"),))
    )
    await seed(app, standin, association_profile(70_002, "Les Tournesols"))
    asso, owner = standin.users[70_002], standin.users[70_001]
    organiser = standin.user(ORGANISER, "Organisatrice")

    # The association reports the company from its match card: the reasons replace the
    # card's buttons, and the card's buttons come back afterwards.
    await asso.send("/matches", expect=2)
    card = next(m for m in asso.bot_messages if f"rp:o:{pitchy.id}" in str(m.buttons))
    await asso.press("Signaler", message=card, expect=0)
    assert any("Démarchage commercial" in label for label, _ in now(asso, card).buttons)
    await asso.press("Démarchage commercial", message=now(asso, card), expect=0)
    assert any("Intéressé" in label for label, _ in now(asso, card).buttons)
    answers = [str(a.get("text")) for a in standin.callback_answers.values()]
    assert any("les organisateurs du réseau vont regarder" in a for a in answers)
    notice = await text_arrives(standin, organiser, "Signalement")
    assert "Les Tournesols signale Vendeurs &amp; Cie" not in notice.text
    assert "Les Tournesols signale Vendeurs & Cie (Démarchage commercial)" in notice.text
    await asso.press("Signaler", message=now(asso, card), expect=0)
    await asso.press("Demande d'argent", message=now(asso, card), expect=0)
    answers = [str(a.get("text")) for a in standin.callback_answers.values()]
    assert any("déjà signalé" in a for a in answers)

    # The organiser sees what the reporter saw, views the profile, pauses it.
    shown = await organiser.send("/reports", expect=2)
    assert "Signalements en attente (1)" in shown[0].text
    assert "Vendeurs & Cie" in shown[1].text
    assert "Ce qu'il a vu : Vendeurs & Cie · 🏢 Entreprise · 📍 Strasbourg" in shown[1].text
    profile = (await organiser.press("Voir le profil", message=shown[1]))[-1]
    assert "c70001@example.org" in profile.text, "organisers see the whole profile"
    reasons = (await organiser.press("Mettre en pause", message=profile))[-1]
    shown = await organiser.press("démarchage commercial", message=reasons)
    assert "est en pause" in shown[-1].text
    told = await text_arrives(standin, owner, "ont mis")
    assert "Vendeurs & Cie" in told.text
    assert "démarchage commercial" in told.text
    assert await moderation.open_reports(svc(app).db) == ([], 0), "its reports are closed"
    shown = await owner.send("/resume")
    assert "eux seuls peuvent la réactiver" in shown[-1].text
    shown = await asso.send("/matches")
    assert "Vendeurs" not in shown[-1].text

    # Restored: the owner is told, and it is suggested again.
    profile = (await organiser.send("/org vendeurs"))[-1]
    assert "en pause par les organisateurs" in profile.text
    await organiser.press("Rétablir", message=profile)
    await text_arrives(standin, owner, "ont rétabli")
    shown = await asso.send("/matches", expect=2)
    assert any("Vendeurs & Cie" in m.text for m in shown)

    log = (await organiser.send("/audit"))[-1].text
    assert "Organisatrice — a rétabli une organisation org:" in log
    assert "Organisatrice — a mis une organisation en pause" in log
    actions = [e.action for e in await moderation.audit_page(svc(app).db)]
    assert actions == ["org.restore", "org.view", "org.paused", "org.view"]


async def test_removing_tells_the_owner_and_forged_buttons_change_nothing(
    standin: BotApiStandIn, app: BotApp
) -> None:
    target = await seed(app, standin, company_profile(71_001, "Société X", (Item("web"),)))
    intruder_org = await seed(app, standin, association_profile(71_002, "Asso Y"))
    owner, intruder = standin.users[71_001], standin.users[71_002]
    organiser = standin.user(ORGANISER, "Organisatrice")
    profile = (await organiser.send(f"/org {target.id}"))[-1]
    reasons = (await organiser.press("Retirer", message=profile))[-1]
    # Someone else presses the organiser's buttons (forged or forwarded): refused, unchanged.
    await intruder.press(data=f"mo:r:{target.id}:pitch", message=reasons, expect=0)
    await intruder.press(data=f"mo:u:{intruder_org.id}", message=reasons, expect=0)
    await intruder.press(data="au:5", message=reasons, expect=0)
    await asyncio.sleep(0.2)
    answers = [str(a.get("text")) for a in standin.callback_answers.values()]
    assert sum("réservée aux organisateurs" in a for a in answers) == 3
    assert await moderation.hold_of(svc(app).db, target.id) is None
    shown = await intruder.send("/audit")
    assert "réservée aux organisateurs" in shown[-1].text

    shown = await organiser.press("doublon", message=reasons)
    assert "est retirée" in shown[-1].text
    told = await text_arrives(standin, owner, "ont retiré")
    assert "doublon" in told.text
    held = await moderation.hold_of(svc(app).db, target.id)
    assert held is not None
    assert (held.action, held.reason, held.by_user_id) == ("removed", "duplicate", ORGANISER)
    shown = await organiser.send("/stats", expect=4)
    assert "1 retirée" in shown[0].text


async def test_several_organisers_share_events_and_the_log_says_who(
    standin: BotApiStandIn, db_path: Path
) -> None:
    """An event shows who created it; another organiser manages it; /audit names each."""
    async with bot_running(standin, db_path, organiser_ids=f"{ORGANISER},9998") as _:
        first = standin.user(ORGANISER, "Organisatrice")
        second = standin.user(9998, "Paul", username="paul")
        await create_event(first)
        card = (await second.send("/events"))[-1]
        assert "Créé par Organisatrice" in card.text
        report = (await second.press("Compteur et bilan", message=card))[-1]
        assert "0 rencontre programmée" in report.text
        confirm = (await second.press("Annuler l'événement", message=card))[-1]
        await second.press("Oui, annuler", message=confirm)
        log = (await first.send("/audit"))[-1].text
        assert "Paul — a annulé un speed meeting event:" in log
        assert "Paul — a consulté un bilan d'événement" in log
        assert "Organisatrice — a créé un speed meeting" in log
