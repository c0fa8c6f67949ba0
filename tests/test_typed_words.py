"""Needs and offers typed in people's own words, end to end (issue 10 §2-3).

The bot never files words silently when unsure: it asks "Vous voulez dire… ?" with the likely
categories, another category, or the words alone. A sentence with several needs becomes several
items, each confirmed with one tap. Whatever happens, the words typed are kept.
"""

from __future__ import annotations

from pathlib import Path

from core.models import WORDS_ONLY, Item
from core.validation import MAX_DETAIL
from sandbox.scenarios import at_needs, from_offers_to_the_end, labels
from sandbox.standin import BotApiStandIn, ChatMessage, SimUser
from storage import organisations
from storage.db import Database
from tests.harness import bot_running


async def _finish(user: SimUser) -> None:
    """From the needs: volunteers offered, a contact, a phone, consent, confirm."""
    await user.press("Terminé")
    await from_offers_to_the_end(user)


async def _needs_of(db: Database, user_id: int) -> tuple[Item, ...]:
    """The needs stored for the user's organisation (registered)."""
    org = await organisations.get_by_owner(db, user_id)
    assert org is not None
    return org.needs


async def _refused(
    user: SimUser, label: str, message: ChatMessage, *, expect: int = 1
) -> list[ChatMessage]:
    """Presses `label` on an earlier `message`: the bot answers that the button belongs to an
    earlier step, and shows the current question (returned)."""
    before = set(user.standin.callback_answers)
    shown = await user.press(label, message=message, expect=expect)
    [query] = set(user.standin.callback_answers) - before
    assert user.standin.callback_answers[query].get("text") == (
        "Ce bouton appartient à une étape précédente."
    )
    return shown


async def test_unsure_words_are_asked_about_and_a_tap_files_them(
    standin: BotApiStandIn, bot: Database
) -> None:
    """« des bureaux » is offices or desks: the bot asks, and the tapped category gets the words."""
    marie = standin.user(2001, "Marie")
    await at_needs(marie)
    [question] = await marie.send("des bureaux")
    assert "Vous voulez dire" in question.text
    assert "« des bureaux »" in question.text
    offered = labels(question)
    assert "👉 Mobilier" in offered
    assert "👉 Locaux et salles" in offered
    assert "🔎 Une autre catégorie" in offered
    assert "✍️ Garder mes mots seulement" in offered

    shown = await marie.press("👉 Locaux et salles")
    assert "Locaux et salles" in shown[-1].text
    assert "des bureaux" in shown[-1].text
    await _finish(marie)
    assert await _needs_of(bot, 2001) == (Item("premises", "des bureaux"),)


async def test_another_category_files_the_words_under_the_one_ticked(
    standin: BotApiStandIn, bot: Database
) -> None:
    """ "Another category" opens the families; the category ticked there receives the words."""
    marie = standin.user(2002, "Marie")
    await at_needs(marie)
    await marie.send("un coup de main")
    shown = await marie.press("Une autre catégorie")
    assert "Choisissez la catégorie de « un coup de main »" in shown[-1].text
    assert not any("Terminé" in label for label in labels(shown[-1]))
    await marie.press("🙌")
    shown = await marie.press("Journée solidaire d'équipe")
    assert "Journée solidaire d'équipe" in shown[-1].text
    assert "un coup de main" in shown[-1].text
    assert "🙌 Bénévoles et journées solidaires · 1" in labels(shown[-1])
    await _finish(marie)
    assert await _needs_of(bot, 2002) == (Item("team_building", "un coup de main"),)


async def test_keep_my_words_only_stores_the_words_without_a_category(
    standin: BotApiStandIn, bot: Database
) -> None:
    """Words nobody can place are kept as they are: shown, stored, and matched by their words."""
    marie = standin.user(2003, "Marie")
    await at_needs(marie)
    shown = await marie.send("blablabla zzz", expect=2)
    assert "pas reconnu" in shown[0].text
    assert "✍️ Garder mes mots seulement" in labels(shown[-1])
    shown = await marie.press("Garder mes mots seulement")
    assert "✍️ « blablabla zzz »" in shown[-1].text
    await _finish(marie)
    assert await _needs_of(bot, 2003) == (Item(WORDS_ONLY, "blablabla zzz"),)


async def test_several_needs_in_one_sentence_are_confirmed_one_tap_each(
    standin: BotApiStandIn, bot: Database
) -> None:
    """« un logo et un site internet » becomes two needs, each with its own words."""
    marie = standin.user(2004, "Marie")
    await at_needs(marie)
    notice, first = await marie.send("un logo et un site internet", expect=2)
    assert "2 choses" in notice.text
    assert "« un logo »" in first.text
    assert labels(first)[0] == "👉 Graphisme"
    [second] = await marie.press("👉 Graphisme")
    assert "« un site internet »" in second.text
    assert labels(second)[0] == "👉 Site web"
    [back_to_list] = await marie.press("👉 Site web")
    assert "Graphisme" in back_to_list.text
    assert "Site web" in back_to_list.text
    await _finish(marie)
    assert await _needs_of(bot, 2004) == (
        Item("design", "un logo"),
        Item("web", "un site internet"),
    )


async def test_a_long_message_of_three_needs_is_taken_whole_and_split(
    standin: BotApiStandIn, bot: Database
) -> None:
    """A message longer than one need (272 characters) that holds three needs, each short
    enough, is not cut to its first need: each is asked about, one tap each, none lost."""
    jean = standin.user(2022, "Jean")
    await at_needs(jean)
    typed = (
        "slt, on cherche qqn pr nous aider a tenir la compta de l asso parce que notre "
        "tresoriere part a la retraite, aussi on a besoin de tables et de chaises pr la fete "
        "du village en aout, et un peu de sous pr refaire le toit de la salle des fetes qui "
        "fuit depuis l hiver dernier"
    )
    assert len(typed) > MAX_DETAIL
    notice, first = await jean.send(typed, expect=2)
    assert "3 choses" in notice.text
    assert "caractères" not in notice.text
    assert labels(first)[0] == "👉 Comptabilité et finance"
    [second] = await jean.press("👉 Comptabilité et finance")
    assert labels(second)[0] == "👉 Mobilier"
    [third] = await jean.press("👉 Mobilier")
    assert "le toit" in third.text
    await jean.press(labels(third)[0])
    await _finish(jean)
    needs = await _needs_of(bot, 2022)
    assert [n.category for n in needs] == ["accounting", "furniture", "funding"]
    assert all(len(n.detail) <= MAX_DETAIL for n in needs)
    assert "la compta" in needs[0].detail
    assert "des fetes qui fuit depuis l hiver dernier" in needs[2].detail


async def test_a_long_message_of_one_thing_is_still_offered_cut(
    standin: BotApiStandIn, bot: Database
) -> None:
    """Over the length of one need and not several things: cut at a word, as before."""
    jean = standin.user(2023, "Jean")
    await at_needs(jean)
    refused, question = await jean.send("un local " + "tres grand et lumineux " * 8, expect=2)
    assert "C'est un peu long" in refused.text
    assert any(label.startswith("✂️") for label in labels(question))


async def test_a_button_of_an_earlier_copy_of_the_question_answers_nothing_else(
    standin: BotApiStandIn, bot: Database
) -> None:
    """/help in the middle of « des bénévoles + un local » shows the question again. 👉
    Bénévoles tapped on the first copy files « des bénévoles »; tapped again on the second
    copy, it must not file « un local » (asked now) under Bénévoles: the bot says the button
    belongs to an earlier step and asks about « un local » again."""
    marie = standin.user(2014, "Marie")
    await at_needs(marie)
    _, first = await marie.send("des bénévoles + un local", expect=2)
    assert "« des bénévoles »" in first.text
    help_notice, again = await marie.send("/help", expect=2)
    assert "⬅️ Retour" not in help_notice.text  # the question has no ⬅️ Back button
    assert "/cancel" in help_notice.text
    assert "« des bénévoles »" in again.text
    [second] = await marie.press("👉 Bénévoles", message=first)
    assert "« un local »" in second.text
    [still] = await _refused(marie, "👉 Bénévoles", again)
    assert "« un local »" in still.text
    # The earlier question's 🗑️ Drop it (its data) drops nothing now.
    [earlier_drop] = [data for label, data in first.buttons if "🗑️" in label]
    before = len(standin.callback_answers)
    await marie.press(data=earlier_drop, message=still, expect=0)
    await standin.wait_for(lambda: len(standin.callback_answers) == before + 1)
    await marie.press("👉 Locaux et salles", message=still)
    await _finish(marie)
    assert await _needs_of(bot, 2014) == (
        Item("volunteers", "des bénévoles"),
        Item("premises", "un local"),
    )


async def test_volunteers_and_premises_and_training_and_a_laptop(
    standin: BotApiStandIn, bot: Database
) -> None:
    """The issue's other examples: each part proposed with its own words."""
    marie = standin.user(2005, "Marie")
    await at_needs(marie)
    _, first = await marie.send("des bénévoles et un local", expect=2)
    assert "« des bénévoles »" in first.text
    [second] = await marie.press("👉 Bénévoles")
    assert "« un local »" in second.text
    await marie.press("👉 Locaux et salles")
    _, first = await marie.send("formation excel + un ordi portable", expect=2)
    assert "« formation excel »" in first.text
    [second] = await marie.press("👉 RH et formation")
    assert "« un ordi portable »" in second.text
    await marie.press("👉 Matériel informatique")
    await _finish(marie)
    assert await _needs_of(bot, 2005) == (
        Item("volunteers", "des bénévoles"),
        Item("premises", "un local"),
        Item("hr", "formation excel"),
        Item("it_equipment", "un ordi portable"),
    )


async def test_unticking_a_category_keeps_the_words(standin: BotApiStandIn, bot: Database) -> None:
    """Unticking the category of typed words keeps the words; ✖️ removes them for good."""
    marie = standin.user(2006, "Marie")
    await at_needs(marie)
    await marie.send("refaire notre site internet", expect=2)
    await marie.send("une salle de réunion le soir", expect=2)
    await marie.press("🧠")
    shown = await marie.press("✅ Site web")
    answers = list(standin.callback_answers.values())
    assert any("vos mots « refaire notre site internet » sont gardés" in str(a) for a in answers)
    assert "✍️ « refaire notre site internet »" in shown[-1].text
    assert "▫️ Site web" in labels(shown[-1])
    shown = await marie.press("Toutes les catégories")
    assert "✖️ « une salle de réunion le soir »" not in labels(shown[-1])
    assert any(label.startswith("✖️ « refaire notre site") for label in labels(shown[-1]))
    await _finish(marie)
    assert await _needs_of(bot, 2006) == (
        Item(WORDS_ONLY, "refaire notre site internet"),
        Item("premises", "une salle de réunion le soir"),
    )


async def test_done_pressed_while_words_are_asked_about_says_they_are_kept(
    standin: BotApiStandIn, bot: Database
) -> None:
    """✅ Done tapped on the list above while « un site internet » is still asked about: the
    words are kept in words only, and the bot says so instead of moving on in silence."""
    marie = standin.user(2015, "Marie")
    await at_needs(marie)
    needs_list = marie.last_with_buttons()
    await marie.send("un logo et un site internet", expect=2)
    [second] = await marie.press("👉 Graphisme")
    assert "« un site internet »" in second.text
    shown = await marie.press("Terminé", message=needs_list, expect=2)
    said = " ".join(m.text for m in shown)
    assert "Gardé avec vos mots seulement : « un site internet »" in said
    assert "Que pouvez-vous offrir" in shown[-1].text
    await from_offers_to_the_end(marie)
    assert await _needs_of(bot, 2015) == (
        Item("design", "un logo"),
        Item(WORDS_ONLY, "un site internet"),
    )


async def test_a_tick_on_an_earlier_copy_of_the_list_files_nothing_else(
    standin: BotApiStandIn, bot: Database
) -> None:
    """« Une autre catégorie » for « des bénévoles », the family list shown again by /help, a
    tick there files it; « Une autre catégorie » again for « un local »: a tick on the earlier
    copy of the list (shown for « des bénévoles ») must not file « un local »."""
    marie = standin.user(2016, "Marie")
    await at_needs(marie)
    await marie.send("des bénévoles + un local", expect=2)
    await marie.press("Une autre catégorie")
    [earlier] = await marie.press("🙌")
    assert "« des bénévoles »" in earlier.text
    _, again = await marie.send("/help", expect=2)
    [second] = await marie.press("Bénévoles", message=again)
    assert "« un local »" in second.text
    [families] = await marie.press("Une autre catégorie", message=second)
    assert "« un local »" in families.text
    [shown] = await _refused(marie, "Journée solidaire", earlier)
    assert "« un local »" in shown.text
    await marie.press("Garder mes mots seulement", message=shown)
    await _finish(marie)
    assert await _needs_of(bot, 2016) == (
        Item("volunteers", "des bénévoles"),
        Item(WORDS_ONLY, "un local"),
    )


async def test_words_that_no_longer_fit_are_named_when_the_list_closes(
    standin: BotApiStandIn, bot: Database
) -> None:
    """Five needs, then « un logo et un site internet »: the logo makes six; ✅ Done while « un
    site internet » is asked about says it could not be kept, instead of dropping it silently."""
    marie = standin.user(2017, "Marie")
    await at_needs(marie)
    for words in ("comptabilité", "bénévoles", "salle de réunion", "livraisons", "traduction"):
        await marie.send(words, expect=2)
    needs_list = marie.last_with_buttons()
    await marie.send("un logo et un site internet", expect=2)
    await marie.press("👉 Graphisme")
    notice, offers = await marie.press("Terminé", message=needs_list, expect=2)
    assert notice.text == (
        "6 catégories au maximum : « un site internet » n'a pas pu être gardé (supprimez une "
        "catégorie pour l'ajouter ensuite)."
    )
    assert "Que pouvez-vous offrir" in offers.text
    await from_offers_to_the_end(marie)
    org = await organisations.get_by_owner(bot, 2017)
    assert org is not None
    assert len(org.needs) == 6
    assert Item("design", "un logo") in org.needs


async def test_a_cross_on_an_earlier_copy_of_the_list_removes_nothing_else(
    standin: BotApiStandIn, bot: Database
) -> None:
    """Two items in words only; /help shows the list again. ✖️ « blablabla zzz » on the new
    copy removes it; the same ✖️ on the earlier copy (where the items have moved since) must
    not remove « qwerty plop »."""
    marie = standin.user(2018, "Marie")
    await at_needs(marie)
    for words in ("blablabla zzz", "qwerty plop"):
        await marie.send(words, expect=2)
        await marie.press("Garder mes mots seulement")
    earlier = marie.last_with_buttons()
    _, again = await marie.send("/help", expect=2)
    [after] = await marie.press("✖️ « blablabla", message=again)
    assert "blablabla" not in after.text
    [shown] = await _refused(marie, "✖️ « blablabla", earlier)
    assert "qwerty plop" in shown.text
    await _finish(marie)
    assert await _needs_of(bot, 2018) == (Item(WORDS_ONLY, "qwerty plop"),)


async def test_words_waiting_for_a_category_survive_a_restart(
    standin: BotApiStandIn, db_path: Path
) -> None:
    """The question "did you mean…?" is a step like any other: after a restart it still works."""
    marie = standin.user(2007, "Marie")
    async with bot_running(standin, db_path):
        await at_needs(marie)
        await marie.send("un logo et un site internet", expect=2)
        question = marie.last_with_buttons()
    async with bot_running(standin, db_path) as (_, db):
        await marie.press("👉 Graphisme", message=question)
        await marie.press("👉 Site web")
        await _finish(marie)
        org = await organisations.get_by_owner(db, 2007)
        assert org is not None
        assert org.needs == (Item("design", "un logo"), Item("web", "un site internet"))


async def test_words_typed_when_the_list_is_full_are_named_as_not_added(
    standin: BotApiStandIn, bot: Database
) -> None:
    """Six categories already: a seventh need typed is not silently dropped; the bot quotes it,
    says it was not added and how to add it, and the six stay as they were."""
    marie = standin.user(2010, "Marie")
    await at_needs(marie)
    for words in ("site internet", "comptabilité", "logo", "bénévoles", "salle de réunion",
                  "livraisons"):  # fmt: skip
        await marie.send(words, expect=2)
    notice, question = await marie.send("traduction <b>&</b>", expect=2)
    assert notice.text == (
        "6 catégories au maximum : « traduction <b>&</b> » n'a pas été ajouté. "
        "Décochez-en une, puis renvoyez-le."
    )
    assert "• Transport et livraison — « livraisons »" in question.text
    assert "Terminé" in " ".join(labels(question))


async def test_words_with_no_category_are_explained_once(
    standin: BotApiStandIn, bot: Database
) -> None:
    """« de l'aide » names no category: the bot says so, and says once what to do."""
    marie = standin.user(2011, "Marie")
    await at_needs(marie)
    notice, question = await marie.send("de l'aide", expect=2)
    assert notice.text == "Je n'ai pas reconnu de catégorie dans ce texte."
    assert (notice.text + question.text).count("ils servent aussi à trouver") == 1
    assert "✍️ Garder mes mots seulement" in labels(question)


async def test_emoji_only_is_no_need_and_ok_c_bon_closes_the_list(
    standin: BotApiStandIn, bot: Database
) -> None:
    """« 🙏🙏 » names nothing to match by: the bot asks for words and keeps nothing; « ok c
    bon » closes the needs like ✅ Done."""
    marie = standin.user(2012, "Marie")
    await at_needs(marie)
    notice, question = await marie.send("🙏🙏", expect=2)
    assert notice.text.startswith("Écrivez-le avec des mots")
    assert "🙏" not in question.text  # nothing kept
    await marie.send("site internet", expect=2)
    [offers] = await marie.send("ok c bon")
    assert "Que pouvez-vous offrir" in offers.text


async def test_words_kept_alone_move_to_the_category_chosen_for_them(
    standin: BotApiStandIn, bot: Database
) -> None:
    """Unticked « Site web »: the words stay as ✍️. Their 🏷️ button asks for their category;
    the one ticked receives them (nothing typed again, no empty item beside them)."""
    marie = standin.user(2020, "Marie")
    await at_needs(marie)
    await marie.send("refaire notre site internet", expect=2)
    await marie.press("🧠")
    await marie.press("✅ Site web")
    shown = await marie.press("Toutes les catégories")
    [file_it] = [label for label in labels(shown[-1]) if label.startswith("🏷️")]
    shown = await marie.press(file_it)
    assert "Choisissez la catégorie de « refaire notre site internet »" in shown[-1].text
    assert "✍️ Garder mes mots seulement" in labels(shown[-1])
    await marie.press("🧠")
    shown = await marie.press("Graphisme")
    assert "✍️" not in shown[-1].text
    assert "refaire notre site internet" in shown[-1].text
    await _finish(marie)
    assert await _needs_of(bot, 2020) == (Item("design", "refaire notre site internet"),)


async def test_people_to_test_a_tablet_are_not_filed_as_the_tablet(
    standin: BotApiStandIn, bot: Database
) -> None:
    """« des seniors pour tester notre tablette » asks for testers, not a tablet (a sandbox
    session saw a company's filed silently as IT equipment): the bot asks between user testing
    and access to a public, and the tap files the words there."""
    lucie = standin.user(2021, "Lucie")
    await at_needs(lucie)
    [question] = await lucie.send("des seniors pour tester notre tablette")
    assert "Vous voulez dire" in question.text
    offered = labels(question)
    assert {"👉 Innovation commune", "👉 Accès à un public"} <= set(offered)
    assert "👉 Matériel informatique" not in offered
    shown = await lucie.press("👉 Innovation commune")
    assert "des seniors pour tester notre tablette" in shown[-1].text
    await _finish(lucie)
    assert await _needs_of(bot, 2021) == (
        Item("innovation", "des seniors pour tester notre tablette"),
    )
