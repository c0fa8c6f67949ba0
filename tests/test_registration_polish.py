"""Registration on a phone (issue 11): Telegram's own « share my phone number », typed words
that press buttons, and too-long answers kept trimmed rather than refused."""

from __future__ import annotations

from core.validation import MAX_NAME
from handlers.form import trim
from sandbox.scenarios import at_location
from sandbox.standin import BotApiStandIn
from storage import conversations, organisations
from storage.db import Database


async def _to_the_email(user_id: int, standin: BotApiStandIn) -> None:
    lea = standin.users[user_id]
    await lea.send("/start")
    await lea.press("Français")
    await lea.send("association")
    await lea.send("Les Jardins du Kiem")
    await lea.send("Jardins partagés")
    await lea.send("Esch-sur-Alzette")
    await lea.send("site internet", expect=2)
    await lea.press("Terminé")
    await lea.press("Terminé")
    await lea.send("Léa Muller")


async def test_the_phone_step_offers_telegrams_share_button(
    standin: BotApiStandIn, bot: Database
) -> None:
    """The phone question itself carries Telegram's « 📱 Partager mon numéro » keyboard with
    back and skip on it (typed labels); someone else's contact is refused politely, the
    person's own is stored in international form, and the keyboard goes with the next
    message that has no buttons of its own."""
    lea = standin.user(3101, "Léa")
    await _to_the_email(lea.id, standin)
    shown = await lea.send("lea@kiem.example")
    question = shown[-1]
    assert "Partager mon numéro" in question.text
    assert question.buttons == [], "one markup per message: the reply keyboard"
    keyboard = standin.keyboards[lea.id]
    assert keyboard["keyboard"][0] == [{"text": "📱 Partager mon numéro", "request_contact": True}]
    assert [b["text"] for b in keyboard["keyboard"][1]] == ["⬅️ Retour", "Passer ⏭️"]
    assert keyboard["one_time_keyboard"] is True

    shown = await lea.send("⬅️ Retour")
    assert "adresse e-mail" in shown[-1].text, "the keyboard's back, sent as text"
    await lea.send("lea@kiem.example")
    shown = await lea.share_contact("+33612345678", user_id=999, expect=2)
    assert "votre propre numéro" in shown[0].text
    shown = await lea.share_contact("352621123456")
    assert "Vos coordonnées restent privées" in shown[-1].text
    shown = await lea.send("non", expect=2)
    assert "Sans votre accord" in shown[0].text
    summary = (await lea.send("Oui"))[-1]
    assert "+352 621 123 456" in summary.text
    await lea.press("Valider", expect=2)
    assert lea.id not in standin.keyboards, "removed with the confirmation"
    org = await organisations.get_by_owner(bot, lea.id)
    assert org is not None
    assert org.contact.phone == "+352 621 123 456"


async def test_skipping_the_phone_from_its_keyboard(standin: BotApiStandIn, bot: Database) -> None:
    """« Passer » on the phone keyboard skips it once an e-mail is given; without one, the
    keyboard offers no skip and the typed word is refused: one way to reach them is needed."""
    lea = standin.user(3102, "Léa")
    await _to_the_email(lea.id, standin)
    shown = await lea.send("Passer")
    assert "au moins un moyen de vous joindre" in shown[-1].text
    assert [b["text"] for b in standin.keyboards[lea.id]["keyboard"][1]] == ["⬅️ Retour"]
    shown = await lea.send("Passer", expect=2)
    assert "Il nous faut au moins un moyen" in shown[0].text
    await lea.send("⬅️ Retour")
    await lea.send("lea@kiem.example")
    shown = await lea.send("Passer ⏭️")
    assert "Vos coordonnées restent privées" in shown[-1].text


async def test_typed_words_press_the_buttons(standin: BotApiStandIn, bot: Database) -> None:
    """« company » at the kind step, a label typed at a button step, and « oui » / « non » at
    the cancel question count as pressing the button."""
    paul = standin.user(3103, "Paul")
    await paul.send("/start")
    shown = await paul.send("🇫🇷 francais")
    assert "Vous représentez" in shown[-1].text
    shown = await paul.send("company")
    assert "nom" in shown[-1].text
    await paul.send("Pixel & Co")
    await paul.send("Agence web")
    shown = await paul.send("partout / à distance")
    assert "offrir aux associations" not in shown[-1].text
    assert "De quoi avez-vous besoin" in shown[-1].text
    shown = await paul.send("TERMINÉ")
    assert "offrir aux associations" in shown[-1].text, "a company, remote: on to its offers"
    shown = await paul.send("/cancel")
    assert "Tout abandonner" in shown[-1].text
    shown = await paul.send("non")
    assert "offrir aux associations" in shown[-1].text, "« non »: the same question again"
    await paul.send("/cancel")
    shown = await paul.send("Oui")
    assert "Inscription annulée" in shown[-1].text
    assert standin.keyboards.get(paul.id) is None


async def test_a_too_long_answer_can_be_kept_trimmed(standin: BotApiStandIn, bot: Database) -> None:
    """A name over the limit is not simply refused: « ✂️ Garder les N premiers caractères »
    keeps its start (cut at a word) and goes on; the needs question announces its limit, and
    typed words over it are offered the same way."""
    marie = standin.user(3104, "Marie")
    await marie.send("/start")
    await marie.press("Français")
    await marie.press("Association")
    long_name = "Les Jardins " + "partagés 🌱 " * 12
    shown = await marie.send(long_name, expect=2)
    assert f"{MAX_NAME} au maximum" in shown[0].text
    kept = trim(" ".join(long_name.split()), MAX_NAME)
    assert f"✂️ Garder les {len(kept)} premiers caractères" in str(shown[-1].buttons)
    shown = await marie.press("✂️ Garder")
    assert "que fait" in shown[-1].text
    stored = await conversations.load_data(bot, "registration", marie.id, marie.id)
    assert stored is not None
    assert stored[1]["name"] == kept
    assert len(kept) <= MAX_NAME
    assert kept.endswith("🌱")

    await marie.send("Épicerie solidaire")
    shown = await marie.send("Metz")
    assert "150 caractères au plus" in shown[-1].text
    shown = await marie.send("un site internet pour nos bénévoles " * 6, expect=2)
    assert "150 au maximum" in shown[0].text
    shown = await marie.press("✂️ Garder", expect=2)
    assert "un site internet" in shown[-1].text
    stored = await conversations.load_data(bot, "registration", marie.id, marie.id)
    assert stored is not None
    assert stored[1]["trimmed"] is None


async def test_a_typical_association_registers_in_at_most_15_actions(
    standin: BotApiStandIn, bot: Database
) -> None:
    """Name, description, location, two needs and one offer typed, contact, e-mail, the phone
    skipped, consent and confirm: each message sent and button pressed counts once. Telegram
    told the person's language, so the first question is already association or company."""
    marie = standin.user(3105, "Marie")
    actions = 0

    async def send(text: str, expect: int = 1) -> None:
        nonlocal actions
        actions += 1
        await marie.send(text, expect=expect)

    async def press(label: str, expect: int = 1) -> None:
        nonlocal actions
        actions += 1
        await marie.press(label, expect=expect)

    await send("/start")
    await press("Association")
    await send("Les Jardins du Kiem")
    await send("Jardins partagés et ateliers de réparation")
    await send("Strasbourg")
    await send("un site internet pour nos bénévoles", expect=2)
    await send("conseil en communication", expect=2)
    await press("Terminé")
    await send("des bénévoles pour vos événements", expect=2)
    await press("Terminé")
    await send("Marie Schmitt")
    await send("marie@kiem.example")
    await send("Passer")
    await press("J'accepte")
    await press("Valider", expect=2)
    org = await organisations.get_by_owner(bot, marie.id)
    assert org is not None
    assert (len(org.needs), len(org.offers)) == (2, 1)
    assert actions == 15, "counted in the README; keep it at most 15"


async def test_a_place_that_cannot_be_found_on_a_map_is_kept_and_said(
    standin: BotApiStandIn, bot: Database
) -> None:
    """« 🎸🎸🎸 » is no place; « Herbeumont » (a village the bot cannot locate) is kept as
    typed, with a word that no distance can be shown and how to fix it; « ⬅️ Retour » and a
    postcode place it."""
    jean = standin.user(3110, "Jean")
    await at_location(jean)
    refused, question = await jean.send("🎸🎸🎸", expect=2)
    assert "Écrivez le lieu en lettres ou en chiffres" in refused.text
    assert "Où agissez-vous" in question.text
    notice, needs = await jean.send("Herbeumont", expect=2)
    assert "Je ne sais pas situer « Herbeumont »" in notice.text
    assert "De quoi" in needs.text or "besoin" in needs.text
    [again] = await jean.press("⬅️ Retour")
    assert "<b>Où</b>" in (again.html or "")
    [needs] = await jean.send("B-6887 Herbeumont")
    assert "situer" not in needs.text
