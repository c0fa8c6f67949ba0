"""The registration played by someone in a hurry on a phone: typing « oui », « fini »,
« valider » where a button was expected. Typed words press the button they mean, and the
words typed for a need or an offer are never lost."""

from __future__ import annotations

from core.models import WORDS_ONLY, Item
from handlers.form import trim
from sandbox.scenarios import at_needs, at_needs_in_english, from_offers_to_the_end, labels
from sandbox.standin import BotApiStandIn, ChatMessage, SimUser
from storage import organisations
from storage.db import Database


async def test_a_typed_yes_at_did_you_mean_taps_the_likeliest_category(
    standin: BotApiStandIn, bot: Database
) -> None:
    """« oui » files the words asked about under the first category proposed; a category's
    label typed files them there; anything else typed waits its turn, the words asked about
    are asked about again, never thrown away."""
    marie = standin.user(3301, "Marie")
    await at_needs(marie)
    [question] = await marie.send("des bénévoles pour une journée d'équipe")
    assert "Vous voulez dire" in question.text
    # Volunteers for a team day, or the team day itself: either may come first.
    first = labels(question)[0].removeprefix("👉 ")
    category = {"Journée solidaire d'équipe": "team_building", "Bénévoles": "volunteers"}[first]
    [shown] = await marie.send("oui")
    assert "pas reconnu" not in shown.text
    assert f"{first}</b> — « des bénévoles pour une journée d'équipe »" in (shown.html or "")
    assert "Terminé" in str(shown.buttons), "back to the list"

    [question] = await marie.send("des bureaux")
    assert "👉 Locaux et salles" in labels(question)
    [shown] = await marie.send("locaux et salles")
    assert "Locaux et salles</b> — « des bureaux »" in (shown.html or "")

    [question] = await marie.send("des bureaux pour l'équipe")
    notice, again = await marie.send("zzz blabla", expect=2)
    assert "« zzz blabla » vient juste après" in notice.text
    assert "« des bureaux pour l'équipe »" in again.text, "the same question again"
    [next_one] = await marie.press("Garder mes mots seulement")
    assert "« zzz blabla »" in next_one.text, "then the words typed meanwhile"
    [shown] = await marie.press("Garder mes mots seulement")
    assert "« des bureaux pour l'équipe »" in shown.text
    assert "« zzz blabla »" in shown.text

    await marie.press("Terminé")
    await from_offers_to_the_end(marie)
    org = await organisations.get_by_owner(bot, 3301)
    assert org is not None
    assert org.needs == (
        Item(category, "des bénévoles pour une journée d'équipe"),
        Item("premises", "des bureaux"),
        Item(WORDS_ONLY, "des bureaux pour l'équipe"),
        Item(WORDS_ONLY, "zzz blabla"),
    )


async def test_a_typed_yes_in_english_keeps_the_words_asked_about(
    standin: BotApiStandIn, bot: Database
) -> None:
    """John's "yes" files "refurbished laptops" under IT equipment: it is not an item."""
    john = standin.user(3302, "John", language_code="en")
    await at_needs_in_english(john)
    _, question = await john.send(
        "refurbished laptops and skills-based volunteering (IT, finance)", expect=2
    )
    assert "“refurbished laptops”" in question.text
    [shown] = await john.send("yes")
    assert "“skills-based volunteering (IT, finance)”" in shown.text, "the next part, whole"
    [shown] = await john.send("ok")
    assert "refurbished laptops" in shown.text
    assert "“yes”" not in shown.text
    assert "“ok”" not in shown.text
    assert "Done" in str(shown.buttons)


async def test_typed_done_words_press_done_and_never_become_items(
    standin: BotApiStandIn, bot: Database
) -> None:
    """« passer », « fini », "done"… close the list, with a family open too; at "did you
    mean…?" they settle nothing and are asked about again; ✅ Terminé on the list above the
    question still works, keeping the words asked about as they are."""
    marie = standin.user(3303, "Marie")
    await at_needs(marie)
    await marie.send("un site internet", expect=2)
    [offers] = await marie.send("passer")
    assert "Que pouvez-vous offrir en retour ?" in offers.text
    assert "passer" not in offers.text
    [back] = await marie.press("Retour")
    assert "De quoi avez-vous besoin ?" in back.text
    await marie.press("🧠")
    [offers] = await marie.send("Fini !")
    assert "Que pouvez-vous offrir en retour ?" in offers.text

    for word in ("c'est tout", "done", "skip", "suivant", "next", "terminé"):
        await marie.press("Retour")
        [offers] = await marie.send(word)
        assert "Que pouvez-vous offrir en retour ?" in offers.text, word

    await marie.press("Retour")
    needs_list = marie.last_with_buttons()
    await marie.send("des bureaux pour l'équipe")
    notice, again = await marie.send("fini", expect=2)
    assert "D'abord, où ranger « des bureaux pour l'équipe » ?" in notice.text
    assert "« des bureaux pour l'équipe »" in again.text
    kept, offers = await marie.press("Terminé", message=needs_list, expect=2)
    assert kept.text == "Gardé avec vos mots seulement : « des bureaux pour l'équipe »"
    assert "Que pouvez-vous offrir en retour ?" in offers.text

    await from_offers_to_the_end(marie)
    org = await organisations.get_by_owner(bot, 3303)
    assert org is not None
    assert org.needs == (
        Item("web", "un site internet"),
        Item(WORDS_ONLY, "des bureaux pour l'équipe"),
    )


async def _at_the_summary(user: SimUser) -> ChatMessage:
    await at_needs(user)
    await user.send("un site internet", expect=2)
    await user.press("Terminé")
    await _from_offers_to_the_end_but_confirm(user)
    return user.last_with_buttons()


async def _from_offers_to_the_end_but_confirm(user: SimUser) -> None:
    await user.press("Terminé")
    await user.send("Jeanne")
    await user.press("Passer")
    await user.send("06 12 34 56 78")
    await user.press("J'accepte")


async def test_typed_words_on_the_summary_confirm_or_get_a_short_hint(
    standin: BotApiStandIn, bot: Database
) -> None:
    """« modifier » or anything else typed under the summary gets a short hint with the
    buttons, not the whole profile again; « c'est bon » confirms."""
    marie = standin.user(3304, "Marie")
    summary = await _at_the_summary(marie)
    assert "Vérifiez votre profil" in summary.text
    for typed in ("modifier", "euh ?"):
        [hint] = await marie.send(typed)
        assert "Touchez l'un des boutons" in hint.text
        assert "Votre profil est juste au-dessus" in hint.text
        assert "Les Tournesols" not in hint.text, "no second copy of the card"
        assert "✅ Valider mon inscription" in labels(hint)
        assert "✏️ Nom" in labels(hint)
    assert await organisations.get_by_owner(bot, 3304) is None, "nothing confirmed"
    shown = await marie.press("✏️ Nom")
    assert "nom" in shown[-1].text
    [summary] = await marie.send("Les Tournesols de Metz")
    assert "Les Tournesols de Metz" in summary.text, "after an answer, the card comes again"
    done = await marie.send("C'est bon !", expect=2)
    assert "C'est fait" in done[-1].text
    org = await organisations.get_by_owner(bot, 3304)
    assert org is not None
    assert org.name == "Les Tournesols de Metz"


async def test_confirm_words_press_confirm_and_save(standin: BotApiStandIn, bot: Database) -> None:
    """« valider », « ok », "confirm" confirm a registration; « oui » saves an edit."""
    for user_id, typed in ((3305, "valider"), (3306, "ok"), (3307, "confirm")):
        user = standin.user(user_id, "Marie")
        await _at_the_summary(user)
        done = await user.send(typed, expect=2)
        assert "C'est fait" in done[-1].text, typed
        assert await organisations.get_by_owner(bot, user_id) is not None
    await user.send("/profile")
    await user.press("✏️ Nom")
    [summary] = await user.send("Tournesols")
    assert "Vos modifications" in summary.text
    shown = await user.send("oui", expect=2)
    assert any("Modifications enregistrées" in m.text for m in shown)
    org = await organisations.get_by_owner(bot, 3307)
    assert org is not None
    assert org.name == "Tournesols"


async def test_keeping_the_first_characters_drops_a_dangling_du(
    standin: BotApiStandIn, bot: Database
) -> None:
    """« ✂️ Garder les N premiers caractères » cuts at a word and leaves no « du » hanging."""
    marie = standin.user(3308, "Marie")
    await at_needs(marie)
    long_need = (
        "Il nous faut des chaises pliantes pour les réunions du conseil d'administration qui"
        " ont lieu chaque mois dans la grande salle de la mairie annexe du quartier du Bourg du"
    )
    notice, question = await marie.send(long_need, expect=2)
    assert "169 caractères" in notice.text
    assert "✂️ Garder les 145 premiers caractères" in labels(question)
    [asked] = await marie.press("✂️")
    assert "la grande salle de la mairie annexe »" in asked.text
    assert "annexe du" not in asked.text


def test_a_cut_answer_ends_on_a_word_that_says_something() -> None:
    """Trailing « du », « pour les », "for the" and hanging punctuation go with the cut."""
    assert trim("des chaises pliantes pour les réunions du conseil", 45) == (
        "des chaises pliantes pour les réunions"
    )
    assert trim("a room for the whole team", 17) == "a room"
    assert trim("des chaises, des tables, et des bancs", 24) == "des chaises, des tables"
    assert trim("Les Tournesols\ndu quartier Nord", 25) == "Les Tournesols"
    assert trim("de la", 4) == "de", "never empty"


async def test_the_remove_button_quotes_words_the_way_the_language_does(
    standin: BotApiStandIn, bot: Database
) -> None:
    """Words kept alone get a ✖️ button quoting them with “…” in English, « … » in French."""
    john = standin.user(3309, "John", language_code="en")
    await at_needs_in_english(john)
    await john.send("zzz blabla", expect=2)
    [needs] = await john.press("Keep my words only")
    assert "✖️ “zzz blabla”" in labels(needs)
    [needs] = await john.press("✖️")
    assert "zzz blabla" not in needs.text
    marie = standin.user(3310, "Marie")
    await at_needs(marie)
    await marie.send("zzz blabla", expect=2)
    [needs] = await marie.press("Garder mes mots seulement")
    assert "✖️ « zzz blabla »" in labels(needs)


async def test_no_and_done_typed_too_early_say_what_is_missing(
    standin: BotApiStandIn, bot: Database
) -> None:
    """« non » at "did you mean…?" drops the words asked about (🗑️ Supprimer); « oui » where
    nothing is proposed asks again, saying what can be tapped; « fini » with no need and no
    offer says one is needed."""
    marie = standin.user(3311, "Marie")
    await at_needs(marie)
    [offers] = await marie.send("fini")
    assert "Que pouvez-vous offrir en retour ?" in offers.text
    notice, again = await marie.send("c'est tout", expect=2)
    assert "au moins un besoin ou une offre" in notice.text
    assert "Que pouvez-vous offrir en retour ?" in again.text
    await marie.send("des bureaux")
    notice, again = await marie.send("non", expect=2)
    assert "Supprimé : « des bureaux »" in notice.text
    assert "Que pouvez-vous offrir en retour ?" in again.text
    assert "des bureaux" not in again.text
    [question] = await marie.send("des bureaux")
    assert "Vous voulez dire" in question.text
    await marie.press("Locaux et salles")
    await marie.send("zzz blabla", expect=2)
    notice, again = await marie.send("oui", expect=2)
    assert "D'abord, où ranger « zzz blabla » ?" in notice.text
    [offers] = await marie.press("Garder mes mots seulement")
    assert "« des bureaux »" in offers.text
    assert "« zzz blabla »" in offers.text


async def test_done_typed_while_editing_the_needs_brings_the_summary_back_whole(
    standin: BotApiStandIn, bot: Database
) -> None:
    """From the summary, ✏️ Besoins, « un coup de main » asked about, « Une autre catégorie »,
    then « fini » typed: the words are kept (and said so) and the summary comes back whole,
    not as a hint pointing at a card that is no longer just above."""
    marie = standin.user(3305, "Marie")
    await _at_the_summary(marie)
    await marie.press("✏️ Besoins")
    await marie.send("un coup de main")
    await marie.press("Une autre catégorie")
    kept, summary = await marie.send("fini", expect=2)
    assert "Gardé avec vos mots seulement : « un coup de main »" in kept.text
    assert "Vérifiez votre profil" in summary.text
    assert "juste au-dessus" not in summary.text
    assert "un coup de main" in summary.text
