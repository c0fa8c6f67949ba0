"""What a match card says about why and where: shared words as typed, distances to the towns
of the networks' area."""

from __future__ import annotations

import dataclasses

from bot.app import BotApp
from core.models import WORDS_ONLY, Item, Location
from sandbox.scenarios import association_profile, company_profile
from sandbox.standin import BotApiStandIn
from storage import notifications
from tests.harness import seed, svc


async def test_shared_words_keep_their_accents_and_a_colmar_company_is_placed(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """The association typed « journee » without its accent; the company in Colmar typed
    « journée »: the card quotes « journée », never a folded key, and says how far Colmar is."""
    offer = Item("team_building", "journée solidaire en forêt")
    company = company_profile(61_001, "Forêts d'Alsace", (offer,))
    await seed(app, standin, dataclasses.replace(company, location=Location("68000 Colmar")))
    asso = association_profile(61_002, "Les Tournesols")
    await seed(
        app,
        standin,
        dataclasses.replace(
            asso,
            location=Location("Luxembourg-Kirchberg"),
            needs=(Item("team_building", "une journee solidaire"),),
        ),
    )
    shown = await standin.users[61_002].send("/matches", expect=2)
    [card] = [m for m in shown if "Forêts d'Alsace" in m.text]
    assert "mots en commun : journée, solidaire" in card.text
    assert "commun : journee" not in card.text  # (their need itself is quoted as typed)
    assert "📍 19" in card.text  # Colmar is some 190 km from Kirchberg


async def test_colmar_berg_in_luxembourg_is_not_colmar_in_alsace(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """A company in Colmar-Berg (Luxembourg) is a few km from Mersch, not 190."""
    company = company_profile(61_011, "Berg SA", (Item("team_building", "journée solidaire"),))
    await seed(app, standin, dataclasses.replace(company, location=Location("Colmar-Berg")))
    asso = association_profile(61_012, "Mersch Asso")
    await seed(
        app,
        standin,
        dataclasses.replace(
            asso, location=Location("Mersch"), needs=(Item("team_building", "journée"),)
        ),
    )
    shown = await standin.users[61_012].send("/matches", expect=2)
    [card] = [m for m in shown if "Berg SA" in m.text]
    assert "📍 7 km" in card.text


async def test_matches_put_first_the_company_that_describes_the_same_world(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """Two companies offer apps; the one that builds audio guidance for visually impaired
    people is listed before the generalist for an association of blind people."""
    offer = (Item("it", "développement d'applications mobiles"),)
    generalist = company_profile(61_021, "Apps Général", offer)
    await seed(app, standin, dataclasses.replace(generalist, description="Agence web."))
    kindred = company_profile(61_022, "Sonar Guidage", offer)
    await seed(
        app,
        standin,
        dataclasses.replace(
            kindred, description="Guidage audio pour les personnes aveugles et malvoyantes."
        ),
    )
    asso = association_profile(61_023, "Voir Ensemble")
    await seed(
        app,
        standin,
        dataclasses.replace(
            asso,
            description="Association de personnes aveugles et malvoyantes.",
            needs=(Item("it", "une appli accessible"),),
        ),
    )
    shown = await standin.users[61_023].send("/matches", expect=3)
    names = [name for m in shown for name in ("Sonar Guidage", "Apps Général") if name in m.text]
    assert names == ["Sonar Guidage", "Apps Général"]


async def test_a_notification_card_puts_first_what_few_others_offer(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """Ten companies sponsor; one also gives legal advice. The card notifying the association
    about that one leads with the legal advice, as the match list ranks it: a concept many
    share tells less (the card is worked out with the same index as the list)."""
    for n in range(10):
        sponsor = (Item("funding", "mécénat pour vos projets"),)
        await seed(app, standin, company_profile(61_100 + n, f"Mécène {n}", sponsor))
    offers = (
        Item("funding", "mécénat pour vos projets"),
        Item("legal", "avocats pour vos statuts"),
    )
    lawyers = await seed(app, standin, company_profile(61_120, "Cabinet Lex", offers))
    asso = association_profile(61_121, "Les Statuts Neufs")
    # Each need meets its offer in the same way (words alike); only how rare each is differs.
    needs = (Item("funding", "mécénat pour nos projets"), Item("legal", "avocats pour nos statuts"))
    seeded = await seed(app, standin, dataclasses.replace(asso, needs=needs))
    mark = standin.event_count
    await notifications.enqueue(svc(app).db, seeded.id, lawyers.id, 3.0, svc(app).clock())
    [card] = await standin.wait_for_chat(61_121, mark, expect=1)
    assert "Cabinet Lex" in card.text
    assert card.text.index("« avocats pour vos statuts »") < card.text.index("« mécénat pour vos")


async def test_a_card_with_nothing_to_add_leaves_no_empty_line(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """A Paris agency and a Metz association: no win-win, no same town, a remote skill. The
    request the agency receives has no empty line between the card and what follows."""
    agency = company_profile(61_201, "Web Paris", (Item("web", "sites web"),))
    await seed(app, standin, dataclasses.replace(agency, location=Location("Paris")))
    asso = association_profile(61_202, "Asso Messine")
    asso = dataclasses.replace(
        asso, location=Location("Metz"), needs=(Item("web", "un site web"),), offers=()
    )
    await seed(app, standin, asso)
    shown = await standin.users[61_202].send("/matches", expect=2)
    [card] = [m for m in shown if "Web Paris" in m.text]
    mark = standin.event_count
    await standin.users[61_202].press("Intéressé", message=card)
    [request] = await standin.wait_for_chat(61_201, mark, expect=1)
    assert "souhaite vous rencontrer" in request.text
    assert "\n\n\n" not in request.text


async def test_a_category_given_without_words_is_named_not_quoted(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """The company ticked « Bénévoles » and typed nothing: the card names the category, in
    italics, and quotes only what the association typed."""
    await seed(app, standin, company_profile(61_301, "Main Forte", (Item("volunteers"),)))
    asso = association_profile(61_302, "La Buvette")
    needs = (Item("volunteers", "des bras pour la buvette"),)
    await seed(app, standin, dataclasses.replace(asso, needs=needs, offers=()))
    shown = await standin.users[61_302].send("/matches", expect=2)
    [card] = [m for m in shown if "Main Forte" in m.text]
    assert "Leur offre Bénévoles répond à votre besoin « des bras pour la buvette »" in card.text
    assert "« Bénévoles »" not in card.text


async def test_words_kept_alone_that_read_as_too_vague_answer_no_need(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """A company kept "we can help out with stuff" in words only (the bot could not tell what
    it offers): it answers nobody's need for an accountant (a sandbox session saw it do so),
    while words kept alone that are likely furniture (« des bureaux ») still answer a need
    for furniture."""
    offers = (Item(WORDS_ONLY, "we can help out with stuff"),)
    await seed(app, standin, company_profile(61_031, "Helpful Ltd", offers))
    desks = (Item(WORDS_ONLY, "des bureaux"),)
    await seed(app, standin, company_profile(61_032, "Mobilier Est", desks))
    asso = association_profile(61_033, "Les Comptes Justes")
    needs = (Item("accounting", "tenir la compta"),)
    await seed(app, standin, dataclasses.replace(asso, needs=needs))
    [shown] = await standin.users[61_033].send("/matches")
    assert "Pas encore de correspondance" in shown.text

    asso = association_profile(61_034, "La Table Ronde")
    await seed(app, standin, dataclasses.replace(asso, needs=(Item("furniture", "des tables"),)))
    header, card = await standin.users[61_034].send("/matches", expect=2)
    assert "meilleures correspondances" in header.text
    assert "Mobilier Est" in card.text


async def test_words_filed_under_one_of_their_meanings_meet_the_other_too(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """« des bureaux » is offices or desks: asked, the company tapped *Locaux*. Its words
    still say desks too, so it answers an association's need for furniture (as words kept
    alone would): a category tapped by the person, or moved later in /profile, does not hide
    what the words say (a sandbox session saw such a match disappear)."""
    await seed(
        app, standin, company_profile(61_041, "Bureaux Est", (Item("premises", "des bureaux"),))
    )
    asso = association_profile(61_042, "La Table Ronde")
    await seed(app, standin, dataclasses.replace(asso, needs=(Item("furniture", "des tables"),)))
    header, card = await standin.users[61_042].send("/matches", expect=2)
    assert "meilleures correspondances" in header.text
    assert "Leur offre « des bureaux » répond à votre besoin « des tables »" in card.text
