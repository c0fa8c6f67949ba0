"""Requests still waiting for an answer are visible: /partnerships lists them on both sides
(the received one with its buttons), and /matches says the matches are already under way."""

from __future__ import annotations

from bot.app import BotApp
from core.models import Item
from sandbox.scenarios import association_profile, company_profile
from sandbox.standin import BotApiStandIn
from storage import introductions
from tests.harness import seed, svc


async def test_partnerships_lists_pending_requests_and_matches_says_they_are_under_way(
    standin: BotApiStandIn, app: BotApp
) -> None:
    company = await seed(app, standin, company_profile(150_001, "Pixel & Co", (Item("web"),)))
    asso = await seed(app, standin, association_profile(150_002, "Les Tournesols"))
    asker, owner = standin.users[150_002], standin.users[150_001]
    shown = await asker.send("/matches", expect=2)
    await asker.press("Intéressé", message=shown[1])

    [sent] = await asker.send("/partnerships")
    assert "⏳ Demande envoyée à <b>Pixel &amp; Co</b>, en attente" in sent.html
    assert "Pas encore de partenariat" not in sent.text
    # Its only match is asked already: /matches says so rather than « no match ».
    [under_way] = await asker.send("/matches")
    assert "déjà en cours" in under_way.text
    assert "/partnerships" in under_way.text

    [received] = await owner.send("/partnerships")
    assert "📨 Les Tournesols vous a fait une demande" in received.text
    assert [label for label, _ in received.buttons][:2] == ["✅ Accepter", "Refuser"]
    shown = await owner.press("Accepter", message=received)
    assert "Vous avez accepté la demande des Tournesols" in shown[-1].text
    assert await introductions.partnership_stage(svc(app).db, asso.id, company.id) is not None
    # Introduced now: still under way, not « no match ».
    await standin.wait_for(lambda: any("Mise en relation" in m.text for m in asker.bot_messages))
    [after] = await asker.send("/matches")
    assert "déjà en cours" in after.text
