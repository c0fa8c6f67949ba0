"""« Not for us » can be undone, and hidden organisations can be seen and restored."""

from __future__ import annotations

from bot.app import BotApp
from core.models import Item, Organisation
from sandbox.scenarios import association_profile, company_profile
from sandbox.standin import BotApiStandIn, ChatMessage, SimUser
from storage import introductions
from tests.harness import seed, svc


async def two_companies(
    standin: BotApiStandIn, app: BotApp, base: int
) -> tuple[SimUser, Organisation, Organisation]:
    """An association matched with two companies. Returns (association's user, both)."""
    pixel = await seed(
        app, standin, company_profile(base + 1, "Pixel & Co", (Item("web", "sites web"),))
    )
    atelier = await seed(
        app, standin, company_profile(base + 2, "Atelier Numérique", (Item("web", "sites"),))
    )
    await seed(app, standin, association_profile(base + 3, "Les Tournesols"))
    return standin.users[base + 3], pixel, atelier


def card_of(user: SimUser, org: Organisation) -> ChatMessage:
    return next(m for m in reversed(user.bot_messages) if f"m:n:{org.id}" in str(m.buttons))


def names_suggested(shown: list[ChatMessage]) -> str:
    return " ".join(m.text for m in shown)


async def test_not_for_us_is_undone_from_its_confirmation(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """🙅 then ↩️ Annuler: the organisation is suggested again."""
    asso, pixel, _ = await two_companies(standin, app, 130_000)
    await asso.send("/matches", expect=3)
    shown = await asso.press("Pas pour nous", message=card_of(asso, pixel))
    assert "ne vous proposerai plus" in shown[-1].text
    assert "Pixel & Co" in shown[-1].text
    shown = await asso.press("Annuler", message=shown[-1])
    assert "peut de nouveau vous être proposée" in shown[-1].text
    # The card is back, with its buttons: Interested works straight from it.
    assert "Pixel & Co" in shown[-1].text
    labels = [label for label, _ in shown[-1].buttons]
    assert "👍 Intéressé·e" in labels
    assert "🙅 Pas pour nous" in labels
    assert await introductions.dismissed_by(svc(app).db, 3) == []
    shown = await asso.send("/matches", expect=3)
    assert "Pixel & Co" in names_suggested(shown)
    assert "masquée" not in names_suggested(shown)


async def test_hidden_organisations_are_listed_from_matches_and_restored(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """/matches ends with « 🙈 1 masquée — voir »; the list restores with one press."""
    asso, pixel, atelier = await two_companies(standin, app, 140_000)
    await asso.send("/matches", expect=3)
    await asso.press("Pas pour nous", message=card_of(asso, pixel))
    shown = await asso.send("/matches", expect=3)
    assert "Pixel & Co" not in names_suggested(shown[:2])
    assert "Atelier Numérique" in shown[1].text
    assert "1 organisation avec « Pas pour nous »" in shown[-1].text
    listed = await asso.press("1 masquée — voir", message=shown[-1])
    assert "Organisations masquées (1)" in listed[-1].text
    assert [label for label, _ in listed[-1].buttons] == ["↩️ Pixel & Co"]
    shown = await asso.press("Pixel & Co", message=listed[-1])
    assert "<b>Pixel &amp; Co</b> peut de nouveau" in (shown[-1].html or "")
    assert "Aucune organisation masquée" in shown[-1].text
    shown = await asso.send("/matches", expect=3)
    assert "Pixel & Co" in names_suggested(shown)
    assert atelier.name in names_suggested(shown)


async def test_when_everything_is_hidden_matches_says_so_with_the_list(
    standin: BotApiStandIn, app: BotApp
) -> None:
    asso, pixel, atelier = await two_companies(standin, app, 150_000)
    await asso.send("/matches", expect=3)
    await asso.press("Pas pour nous", message=card_of(asso, pixel))
    await asso.press("Pas pour nous", message=card_of(asso, atelier))
    [shown] = await asso.send("/matches")
    assert "Pas encore de correspondance" in shown.text
    listed = await asso.press("2 masquées — voir", message=shown)
    assert [label for label, _ in listed[-1].buttons] == ["↩️ Atelier Numérique", "↩️ Pixel & Co"]


async def test_only_the_side_that_hid_can_restore_and_stale_undo_is_polite(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """The hidden company cannot lift the association's « not for us » with a forged button,
    and pressing Undo twice says it is no longer hidden."""
    asso, pixel, _ = await two_companies(standin, app, 160_000)
    tournesols = svc(app).index.get(3)
    assert tournesols is not None
    await asso.send("/matches", expect=3)
    confirmation = (await asso.press("Pas pour nous", message=card_of(asso, pixel)))[-1]

    company = standin.users[pixel.owner_user_id]
    [anything] = await company.send("/matches")
    shown = await company.press(data=f"m:u:{tournesols.id}", message=anything)
    assert "n'est pas masquée" in shown[-1].text
    shown = await company.press(data=f"m:r:{tournesols.id}", message=anything)
    assert "n'est pas masquée" in shown[-1].text
    assert await introductions.dismissed_by(svc(app).db, tournesols.id) == [pixel.id]

    await asso.press("Annuler", message=confirmation)
    shown = await asso.press(data=f"m:u:{pixel.id}", message=confirmation)
    assert "n'est pas masquée" in shown[-1].text
