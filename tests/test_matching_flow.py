"""Matching and introductions, end to end through the stand-in."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.app import BotApp
from core.models import Item
from sandbox.scenarios import association_profile, company_profile
from sandbox.standin import BotApiStandIn, ChatMessage, SimUser
from storage import introductions, notifications, organisations
from tests.harness import Clock, seed, svc

JULIE = {"email": "julie@pixel.example", "phone": "+33 3 88 00 00 04", "name": "Julie Martin"}
MARIE = {"email": "marie@jardins.example", "phone": "+33 6 12 34 56 78", "name": "Marie Curie"}


async def register(
    user: SimUser,
    *,
    kind: str,
    name: str,
    needs: list[str],
    offers: list[str],
    contact: dict[str, str],
    confirm_expect: int = 2,
) -> list[ChatMessage]:
    """A French registration with typed needs and offers; returns what confirming showed."""
    await user.send("/start")
    await user.press("Français")
    await user.press(kind)
    await user.send(name)
    await user.send("Une organisation de Strasbourg.")
    await user.send("Strasbourg")
    for words in needs:
        await user.send(words, expect=2)
    await user.press("Terminé")
    for words in offers:
        await user.send(words, expect=2)
    await user.press("Terminé")
    await user.send(contact["name"])
    await user.send(contact["email"])
    await user.send(contact["phone"])
    await user.press("J'accepte")
    return await user.press("Valider", expect=confirm_expect)


def texts(user: SimUser) -> list[str]:
    return [m.text for m in user.bot_messages]


async def next_message(standin: BotApiStandIn, user: SimUser, mark: int) -> ChatMessage:
    [shown, *_] = await standin.wait_for_chat(user.id, mark, expect=1)
    return shown


async def test_notification_interest_acceptance_then_contacts_and_never_before(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """The issue's scenario: a company is told about an association needing what it offers,
    says it is interested, the association accepts, and only then do both get contacts."""
    julie = standin.user(3001, "Julie")
    await register(
        julie,
        kind="Entreprise",
        name="Pixel & Co",
        needs=["journée solidaire"],
        offers=["web design", "conseils en marketing"],
        contact=JULIE,
    )
    assert "Pas encore de correspondance" in julie.bot_messages[-1].text

    marie = standin.user(3002, "Marie")
    mark = standin.event_count
    shown = await register(
        marie,
        kind="Association",
        name="Les Jardins du Neuhof",
        needs=["site internet", "conseil en communication"],
        offers=["journée plantation d'arbres"],
        contact=MARIE,
        confirm_expect=4,
    )
    card = shown[-1]
    assert "Pixel & Co" in card.text
    assert "Leur offre « web design » répond à votre besoin « site internet »" in card.text
    assert "gagnant-gagnant" in card.text

    notification = await next_message(standin, julie, mark)
    assert "Nouvelle correspondance" in notification.text
    assert "Les Jardins du Neuhof" in notification.text
    assert "« site internet »" in notification.text
    assert "« web design »" in notification.text

    mark = standin.event_count
    shown = await julie.press("Intéressé", message=notification)
    assert "Demande envoyée" in shown[-1].text
    request = await next_message(standin, marie, mark)
    assert "souhaite vous rencontrer" in request.text
    assert "Pixel & Co" in request.text

    for person, other in ((marie, JULIE), (julie, MARIE)):
        for text in texts(person):
            for detail in other.values():
                assert detail not in text, f"{detail!r} was shown before both agreed"

    mark = standin.event_count
    shown = await marie.press("Accepter", message=request, expect=2)
    intro_for_marie = shown[-1].text
    intro_for_julie = (await next_message(standin, julie, mark)).text
    for detail in JULIE.values():
        assert detail in intro_for_marie
    for detail in MARIE.values():
        assert detail in intro_for_julie
    assert "dans les deux semaines" in intro_for_julie

    db = svc(app).db
    stage = await introductions.partnership_stage(db, association_id=2, company_id=1)
    assert stage == "introduced"
    # An introduced pair never comes back in /matches, which says it is under way.
    shown = await marie.send("/matches")
    assert "déjà en cours : demandes envoyées ou reçues, mises en relation" in shown[-1].text


async def test_not_for_us_declined_and_paused_never_come_back(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """Dismissed, declined and paused organisations disappear from /matches for good."""
    web = await seed(app, standin, company_profile(4001, "Web SA", (Item("web", "sites web"),)))
    comms = await seed(app, standin, company_profile(4002, "Comms SA", (Item("comms", "com"),)))
    both = await seed(app, standin, company_profile(4003, "Both SA", (Item("web"), Item("comms"))))
    asso = await seed(app, standin, association_profile(4100, "Asso"))
    user = standin.users[4100]

    shown = await user.send("/matches", expect=4)
    names = [m.text.split(" · ")[0] for m in shown[1:]]
    assert names == ["Both SA", "Web SA", "Comms SA"]

    shown_cards = shown
    shown = await user.press("Pas pour nous", message=shown_cards[3])
    assert "ne vous proposerai plus" in shown[-1].text
    mark = standin.event_count
    await user.press("Intéressé", message=shown_cards[1])  # Both SA
    request = await next_message(standin, standin.users[4003], mark)
    assert "souhaite vous rencontrer" in request.text
    shown = await standin.users[4003].press("Refuser", message=request)
    assert "Elle n'en saura rien" in shown[-1].text
    assert not any("refus" in t.lower() for t in texts(user)), "a decline is never announced"

    await standin.users[4001].send("/pause")
    shown = await user.send("/matches")
    assert "Pas encore de correspondance" in shown[-1].text

    excluded = await introductions.excluded_for(svc(app).db, asso.id)
    assert {both.id, comms.id} <= excluded
    assert web.id not in excluded


async def test_pending_requests_are_capped(standin: BotApiStandIn, app: BotApp) -> None:
    """An organisation cannot have more than MAX_PENDING_REQUESTS unanswered requests."""
    for n in range(6):
        await seed(app, standin, company_profile(5001 + n, f"Web {n}", (Item("web"),)))
    await seed(app, standin, association_profile(5100, "Asso"))
    user = standin.users[5100]
    shown = await user.send("/matches", expect=7)
    cards = [m for m in shown if m.buttons and "Intéressé" in m.buttons[0][0]]
    first_target = cards[0].buttons[0][1]
    for card in cards[:5]:
        await user.press("Intéressé", message=card)
    assert await user.press(data=first_target, message=cards[0], expect=0) == []
    more = await user.press("Voir plus", expect=2)
    sixth = next(m for m in more if m.buttons and "Intéressé" in m.buttons[0][0])
    await user.press("Intéressé", message=sixth, expect=0)
    assert any("déjà 5 demandes" in str(a.get("text")) for a in standin.callback_answers.values())


async def test_quiet_hours_daily_cap_and_digest(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    """At night nothing is sent; in the morning three notifications, then one digest."""
    company = await seed(
        app, standin, company_profile(6001, "Pixel", (Item("web", "création de sites"),))
    )
    clock.moment = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)  # 23:30 in Paris
    db = svc(app).db
    for n in range(6):
        asso = await seed(app, standin, association_profile(6100 + n, f"Asso {n}"))
        await notifications.enqueue(db, company.id, asso.id, 3.0 - n / 10, clock())
    recipient = standin.users[6001]
    await asyncio.sleep(1)  # the notification job runs every 0.3 s
    assert recipient.bot_messages == [], "nothing during quiet hours"

    mark = standin.event_count
    clock.moment = datetime(2026, 11, 24, 7, 5, tzinfo=UTC)  # 08:05 in Paris
    shown = await standin.wait_for_chat(recipient.id, mark, expect=3)
    singles = [m for m in shown if "Nouvelle correspondance" in m.text]
    digests = [m for m in shown if "nouvelles organisations vous correspondent" in m.text]
    assert len(singles) == 2
    assert len(digests) == 1
    assert "4 nouvelles organisations" in digests[0].text
    assert "Asso 0" in singles[0].text

    clock.advance(hours=1)
    late = await seed(app, standin, association_profile(6200, "Asso tardive"))
    assert await notifications.enqueue(db, company.id, late.id, 3.0, clock())
    await asyncio.sleep(1)
    assert len(recipient.bot_messages) == 3, "the daily cap holds until tomorrow"


async def test_an_unanswered_request_expires(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    """After REQUEST_EXPIRY, accepting says the request expired and introduces nobody."""
    company = await seed(app, standin, company_profile(7001, "Web SA", (Item("web"),)))
    await seed(app, standin, association_profile(7100, "Asso"))
    user, owner = standin.users[7100], standin.users[7001]
    shown = await user.send("/matches", expect=2)
    mark = standin.event_count
    await user.press("Intéressé", message=shown[1])
    request = await next_message(standin, owner, mark)
    clock.advance(days=15)
    shown = await owner.press("Accepter", message=request)
    assert "a expiré" in shown[-1].text
    assert await introductions.partnership_stage(svc(app).db, 2, company.id) is None
    assert not any("Mise en relation" in t for t in texts(user) + texts(owner))


async def test_paused_and_blocked_recipients_get_nothing_and_the_batch_goes_on(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """A paused recipient is skipped, a blocked one (403) marked unreachable, others served."""
    db = svc(app).db
    paused = await seed(app, standin, company_profile(8001, "En pause", (Item("web"),)))
    blocked = await seed(app, standin, company_profile(8002, "Bloqué", (Item("web"),)))
    fine = await seed(app, standin, company_profile(8003, "Joignable", (Item("web"),)))
    await standin.users[8001].send("/pause")
    standin.block(8002)
    asso = await seed(app, standin, association_profile(8100, "Asso"))
    mark = standin.event_count
    for recipient in (paused, blocked, fine):
        await notifications.enqueue(db, recipient.id, asso.id, 3.0, svc(app).clock())
    [note] = await standin.wait_for_chat(8003, mark, expect=1)
    assert "Asso" in note.text
    await asyncio.sleep(0.7)
    assert len(standin.users[8001].bot_messages) == 1, "only the answer to /pause"
    stored = await organisations.get(db, blocked.id)
    assert stored is not None
    assert stored.unreachable_since is not None
    standin.blocked.clear()
    await standin.users[8002].send("/start")
    stored = await organisations.get(db, blocked.id)
    assert stored is not None
    assert stored.unreachable_since is None, "writing again makes them reachable"


async def test_a_queued_match_notification_gives_way_to_the_request_about_the_same_org(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """Marie's notification about Web SA is held (she blocked the bot) when Web SA asks to
    meet her: when she comes back she gets the request card only, not two cards."""
    db = svc(app).db
    company = await seed(app, standin, company_profile(9001, "Web SA", (Item("web"),)))
    asso = await seed(app, standin, association_profile(9100, "Jardins"))
    marie, owner = standin.users[9100], standin.users[9001]
    standin.block(9100)
    await notifications.enqueue(db, asso.id, company.id, 3.0, svc(app).clock())
    for _ in range(50):
        stored = await organisations.get(db, asso.id)
        assert stored is not None
        if stored.unreachable_since is not None:
            break
        await asyncio.sleep(0.05)
    assert stored.unreachable_since is not None, "the notification met the block and is held"
    shown = await owner.send("/matches", expect=2)
    await owner.press("Intéressé", message=shown[1])
    standin.blocked.clear()
    await marie.send("/start")
    await standin.wait_for(lambda: any("souhaite vous rencontrer" in t for t in texts(marie)))
    await asyncio.sleep(0.5)
    assert not any("Nouvelle correspondance" in t for t in texts(marie))
