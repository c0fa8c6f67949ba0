"""What a tester playing hurried phone users found in the registration: contact details typed
ahead of time never become public needs or offers, « oui » at the list means ✅ Done, a contact
name has letters, /help while editing says so, junk at "did you mean…?" can be dropped, the
✂️ button agrees with the limit announced, and questions read without doubled brackets."""

from __future__ import annotations

import re

from bot.i18n import load_catalogues
from core.models import WORDS_ONLY, Item
from core.validation import has_contact_details, looks_like_name
from sandbox.scenarios import at_needs, at_needs_in_english, labels
from sandbox.standin import BotApiStandIn
from storage import organisations
from storage.db import Database


async def test_contact_details_typed_at_the_needs_and_offers_are_not_kept(
    standin: BotApiStandIn, bot: Database
) -> None:
    """Tom types his e-mail, name and phone where offers are asked: each is answered « they
    come a bit later » and nothing of them reaches his public profile, at the list, at "did
    you mean…?" (the words asked about wait) and for a category's own words."""
    tom = standin.user(3401, "Tom")
    await at_needs(tom)
    for typed in ("luc@boulangerie.example", "Tom Martin", "06 12 34 56 78", "+352 621 123 456"):
        notice, again = await tom.send(typed, expect=2)
        assert "demandées un peu plus loin" in notice.text, typed
        assert "De quoi avez-vous besoin ?" in again.text, typed
        assert typed not in again.text, typed
    await tom.send("un site internet", expect=2)
    await tom.press("Terminé")
    [question] = await tom.send("des bureaux pour l'équipe")
    assert "Vous voulez dire" in question.text
    notice, again = await tom.send("écrivez-moi : tom@boulangerie.example", expect=2)
    assert "demandées un peu plus loin" in notice.text
    assert "« des bureaux pour l'équipe »" in again.text, "the words asked about wait"
    [offers] = await tom.press("Garder mes mots seulement")
    assert "tom@" not in offers.text
    await tom.press("🙌")
    await tom.press("Bénévoles")
    await tom.press("Toutes les catégories")
    [detail] = await tom.press("Terminé")
    assert "Bénévoles" in detail.text
    notice, again = await tom.send("appelez le 06 12 34 56 78", expect=2)
    assert "demandées un peu plus loin" in notice.text
    await tom.press("Passer")
    await tom.send("Tom Martin")
    await tom.send("tom@boulangerie.example")
    await tom.send("06 12 34 56 78")
    await tom.press("J'accepte")
    await tom.press("Valider", expect=2)
    org = await organisations.get_by_owner(bot, 3401)
    assert org is not None
    assert org.needs == (Item("web", "un site internet"),)
    assert org.offers == (Item(WORDS_ONLY, "des bureaux pour l'équipe"), Item("volunteers"))
    assert org.contact.name == "Tom Martin"


async def test_contact_details_in_english_are_kept_for_later(
    standin: BotApiStandIn, bot: Database
) -> None:
    """The same in English: "contact details are asked a little later"."""
    john = standin.user(3402, "John", language_code="en")
    await at_needs_in_english(john)
    notice, again = await john.send("john.smith@example.org", expect=2)
    assert "asked a little later" in notice.text
    assert "john.smith" not in again.text


def test_contact_details_and_names_are_told_from_needs() -> None:
    """Addresses and phone numbers are found anywhere in a message; years and amounts are
    not phone numbers; a name is two to four capitalised words."""
    for text in ("luc@boulangerie.example", "063 21 22 23", "+352 621 123 456", "Tom 0612345678"):
        assert has_contact_details(text), text
    for text in ("2024-2025", "100 000 €", "3 000 flyers", "des bureaux"):
        assert not has_contact_details(text), text
    assert looks_like_name("Tom Martin")
    assert looks_like_name("Jean-Luc Picard")
    assert not looks_like_name("un site internet")
    assert not looks_like_name("Tom")


async def test_yes_or_confirm_typed_at_the_list_press_done(
    standin: BotApiStandIn, bot: Database
) -> None:
    """« oui », « valider », "confirm" with nothing asked about close the list like
    « terminé »: they are never a need or an offer."""
    marie = standin.user(3403, "Marie")
    await at_needs(marie)
    await marie.send("un site internet", expect=2)
    [offers] = await marie.send("oui")
    assert "Que pouvez-vous offrir en retour ?" in offers.text
    await marie.send("des bénévoles", expect=2)
    [contact] = await marie.send("valider")
    assert "personne à contacter" in contact.text
    org_needs = await organisations.get_by_owner(bot, 3403)
    assert org_needs is None
    john = standin.user(3404, "John", language_code="en")
    await at_needs_in_english(john)
    await john.send("a new web site", expect=2)
    [offers] = await john.send("confirm")
    assert "What can you offer in return?" in offers.text
    assert "“confirm”" not in offers.text


async def test_a_contact_name_needs_letters(standin: BotApiStandIn, bot: Database) -> None:
    """« 063 21 22 23 » or an e-mail address is not a contact person: the bot says a name is
    needed, in letters, and asks again."""
    marie = standin.user(3405, "Marie")
    await at_needs(marie)
    await marie.send("un site internet", expect=2)
    await marie.press("Terminé")
    await marie.send("des bénévoles", expect=2)
    await marie.press("Terminé")
    for typed in ("063 21 22 23", "marie@example.org"):
        notice, again = await marie.send(typed, expect=2)
        assert "Il me faut le nom d'une personne, en lettres" in notice.text, typed
        assert "personne à contacter" in again.text
    [email] = await marie.send("Marie Dupont")
    assert "adresse e-mail" in email.text


async def test_help_while_editing_the_profile_speaks_of_the_edit(
    standin: BotApiStandIn, bot: Database
) -> None:
    """/help while editing a field from /profile explains the edit, with no « Retour »."""
    marie = standin.user(3406, "Marie")
    await at_needs(marie)
    await marie.send("un site internet", expect=2)
    await marie.press("Terminé")
    await marie.press("Terminé")
    await marie.send("Jeanne")
    await marie.press("Passer")
    await marie.send("06 12 34 56 78")
    await marie.press("J'accepte")
    await marie.press("Valider", expect=2)
    await marie.send("/profile")
    await marie.press("✏️ Nom")
    notice, _ = await marie.send("/help", expect=2)
    assert "Vous modifiez votre profil" in notice.text
    assert "inscrire" not in notice.text
    assert "⬅️ Retour" not in notice.text


async def test_junk_is_not_kept_and_can_be_dropped(standin: BotApiStandIn, bot: Database) -> None:
    """« 💻 » alone has no word to file or match by: the bot asks for words and keeps nothing.
    « zzz » is asked about with a 🗑️ Supprimer button, and « non » typed drops it."""
    marie = standin.user(3407, "Marie")
    await at_needs(marie)
    notice, needs = await marie.send("💻", expect=2)
    assert notice.text.startswith("Écrivez-le avec des mots")
    assert "De quoi avez-vous besoin ?" in needs.text
    assert "💻" not in needs.text
    _, question = await marie.send("zzz", expect=2)
    assert "🗑️ Supprimer" in labels(question)
    notice, needs = await marie.send("non", expect=2)
    assert "Supprimé : « zzz »" in notice.text
    assert "« zzz »" not in needs.text
    john = standin.user(3408, "John", language_code="en")
    await at_needs_in_english(john)
    notice, _ = await john.send("💻", expect=2)
    assert notice.text.startswith("Please write it in words")


async def test_the_trim_button_agrees_with_the_limit(standin: BotApiStandIn, bot: Database) -> None:
    """Cut at the limit, the button keeps as many characters as allowed; cut at a word, it
    says the real number and the message says why it is fewer."""
    marie = standin.user(3409, "Marie")
    await at_needs(marie)
    notice, question = await marie.send("a" * 150 + " bcd" * 5, expect=2)
    assert "170 caractères pour 150 au maximum" in notice.text
    assert "✂️ Garder les 150 premiers caractères" in labels(question)
    assert "fin d'un mot" not in notice.text
    notice, question = await marie.send("mot " * 40, expect=2)
    assert "✂️ Garder les 147 premiers caractères" in labels(question)
    assert "Garder les 147 premiers caractères » sous la question (coupé à la fin d'un mot)" in (
        notice.text
    )


def test_registration_texts_never_put_two_brackets_in_a_row() -> None:
    """« (prénom et nom) (80 caractères max.) » and « écran. (il nous faut… » read badly:
    no two brackets in a row, no bracket starting in lower case after a full stop."""
    for lang, catalogue in load_catalogues().items():
        for key, text in catalogue.items():
            if not key.startswith(("reg.", "pick.", "guess.")):
                continue
            plain = re.sub(r"<[^>]+>", "", text)
            assert not re.search(r"\)\s*\(", plain), (lang, key)
            assert not re.search(r"\.\s*\([a-zà-ÿ]", plain), (lang, key)
