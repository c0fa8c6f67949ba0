"""Registration, end to end: the real bot, over HTTP, through the Bot API stand-in."""

from __future__ import annotations

from pathlib import Path

from core.models import WORDS_ONLY, Direction, Item, OrgKind, OrgStatus
from handlers.registration_buttons import (
    Kind,
)
from sandbox.scenarios import EN, FR, finish_with_one_need, register_association
from sandbox.standin import BotApiStandIn
from storage import organisations, users
from storage.db import Database
from tests.harness import bot_running


async def test_full_registration_in_french_stores_the_profile(
    standin: BotApiStandIn, bot: Database
) -> None:
    """An association leader answers every question in French and ends with a saved profile."""
    marie = standin.user(1001, "Marie", language_code="fr", username="marie_j")
    last = await register_association(marie, FR)

    assert "fait maintenant partie de Passerelle" in last.text
    org = await organisations.get_by_owner(bot, 1001)
    assert org is not None
    assert org.kind is OrgKind.ASSOCIATION
    assert org.name == "Les Jardins <Partagés> & Co 🌱"
    assert org.location.text == "Strasbourg"
    assert org.needs == (
        Item("web", "un site internet pour nos bénévoles"),
        Item("comms", "conseil en communication"),
    )
    assert org.offers == (Item("team_building", ""),)
    assert org.contact.email == "aline@jardins.example"
    assert org.contact.phone == "+33 3 88 00 00 01"
    assert org.owner_username == "marie_j"
    assert org.language == "fr"
    assert org.status is OrgStatus.ACTIVE


async def test_full_registration_in_english(standin: BotApiStandIn, bot: Database) -> None:
    """A user whose phone is in English is asked in English and registers in English."""
    john = standin.user(1002, "John", language_code="en")
    first = (await john.send("/start"))[-1]
    assert "Welcome to Passerelle" in first.text
    labels = [label for label, _ in first.buttons]
    assert labels[:2] == ["🤲 Association", "🏢 Company"], "the answer first, in English"
    assert labels[2] == "🇬🇧 English", "then the languages, the guessed one first"
    last = await register_association(john, EN, started=True)
    assert "is registered" in last.text
    org = await organisations.get_by_owner(bot, 1002)
    assert org is not None
    assert org.language == "en"


async def test_summary_shows_user_text_escaped_and_is_editable(
    standin: BotApiStandIn, bot: Database
) -> None:
    """HTML characters typed by the user come back as typed, and any field can be corrected."""
    marie = standin.user(1003, "Marie")
    await marie.send("/start")
    await marie.press("Français")
    await marie.press("Entreprise")
    await marie.send("<b>Pixel</b> & <Co>")
    await marie.send("Agence web & design")
    await marie.press("Partout")
    await marie.send("team building", expect=2)
    offers = await marie.press("Terminé")
    assert "Que pouvez-vous offrir aux associations ?" in offers[-1].text, "no 'in return'"
    await marie.press("Terminé")
    await marie.send("Julie Martin")
    await marie.press("Passer")
    await marie.send("06 12 34 56 78")
    summary = (await marie.press("J'accepte"))[-1]
    assert "<b>Pixel</b> & <Co>" in summary.text
    assert summary.html is not None
    assert "&lt;b&gt;Pixel&lt;/b&gt; &amp; &lt;Co&gt;" in summary.html
    assert "Partout / à distance" in summary.text

    await marie.press("✏️ Nom")
    back_at_summary = await marie.send("Pixel et Compagnie")
    assert "Vérifiez votre profil" in back_at_summary[-1].text
    assert "Pixel et Compagnie" in back_at_summary[-1].text
    await marie.press("Valider", expect=2)
    org = await organisations.get_by_owner(bot, 1003)
    assert org is not None
    assert org.name == "Pixel et Compagnie"
    assert org.kind is OrgKind.COMPANY
    assert org.location.remote
    assert org.contact.email is None
    assert org.contact.phone == "06 12 34 56 78", "no country known (remote): kept as typed"
    assert org.needs == (Item("team_building", "team building"),)


async def test_back_goes_to_the_previous_question_and_keeps_answers(
    standin: BotApiStandIn, bot: Database
) -> None:
    """Back returns to the previous question; answering again moves forward as before."""
    marie = standin.user(1004, "Marie")
    await marie.send("/start")
    await marie.press("Français")
    await marie.press("Association")
    await marie.send("Jardins")
    shown = await marie.press("Retour")
    assert "nom" in shown[-1].text
    shown = await marie.press("Retour")
    assert "Vous représentez" in shown[-1].text
    shown = await marie.press("Association")
    assert "nom" in shown[-1].text
    shown = await marie.send("Jardins 2")
    assert "que fait" in shown[-1].text


async def test_invalid_answers_get_a_reason_and_the_question_again(
    standin: BotApiStandIn, bot: Database
) -> None:
    """Too long, empty, a sticker, a photo, a bad email or phone: a clear reason, nothing lost."""
    marie = standin.user(1005, "Marie")
    await marie.send("/start")
    await marie.press("Français")
    await marie.press("Association")

    shown = await marie.send("x" * 5000, expect=2)
    assert "5000 caractères" in shown[0].text
    assert "nom" in shown[-1].text
    shown = await marie.send_sticker(expect=2)
    assert "réponse écrite" in shown[0].text
    shown = await marie.send_photo(expect=2)
    assert "réponse écrite" in shown[0].text
    shown = await marie.send("   ", expect=2)
    assert "vide" in shown[0].text
    await marie.send("🌻🌻 Les Tournesols 🌻🌻")
    await marie.send("Épicerie solidaire")
    await marie.send("67000 Strasbourg")
    shown = await marie.send("blablabla zzz", expect=2)
    assert "pas reconnu" in shown[0].text
    shown = await marie.send("des ordinateurs portables", expect=2)
    assert "« blablabla zzz »" in shown[-1].text, "the words asked about are not dropped"
    await marie.press("Garder mes mots seulement")
    await marie.press("Terminé")
    await marie.press("Terminé")
    await marie.send("Jeanne")
    shown = await marie.send("not-an-email", expect=2)
    assert "e-mail ne semble pas valide" in shown[0].text
    await marie.send("jeanne@tournesols.example")
    shown = await marie.send("12", expect=2)
    assert "numéro ne semble pas valide" in shown[0].text
    shown = await marie.send("06 12 34 56 78")
    assert "Vos coordonnées restent privées" in shown[-1].text
    shown = await marie.send("peut-être", expect=2)
    assert "boutons" in shown[0].text
    shown = await marie.send("Oui !")
    assert "Vérifiez votre profil" in shown[-1].text, "« oui » at the consent step agrees"
    await marie.press("Valider", expect=2)
    org = await organisations.get_by_owner(bot, 1005)
    assert org is not None
    assert org.name == "🌻🌻 Les Tournesols 🌻🌻"
    assert org.needs == (
        Item("it_equipment", "des ordinateurs portables"),
        Item(WORDS_ONLY, "blablabla zzz"),
    )
    assert org.contact.phone == "+33 6 12 34 56 78"


async def test_commands_and_forged_buttons_mid_registration(
    standin: BotApiStandIn, bot: Database
) -> None:
    """A command or an earlier question's button mid-way gets an answer and the same question
    again; a forged button is answered as no longer valid, and changes nothing."""
    marie = standin.user(1006, "Marie")
    await marie.send("/start")
    await marie.press("Français")
    await marie.press("Association")

    shown = await marie.send("/profile", expect=2)
    assert "Terminons d'abord" in shown[0].text
    assert "nom" in shown[-1].text
    shown = await marie.send("/help", expect=2)
    assert "/cancel" in shown[0].text
    shown = await marie.send("/start", expect=2)
    assert "On reprend" in shown[0].text
    assert "nom" in shown[-1].text

    question = marie.last_with_buttons()
    earlier = await marie.press(data=Kind(OrgKind.COMPANY).data, message=question, expect=2)
    assert "On reprend" in earlier[0].text
    assert "nom" in earlier[-1].text
    forged = await marie.press(data="r:tog:../../etc/passwd", message=question, expect=0)
    assert forged == []
    unknown = await marie.press(data="zz:nothing", message=question, expect=0)
    assert unknown == []
    answers = [standin.callback_answers[q] for q in standin.callback_answers]
    assert any("plus valable" in str(a.get("text")) for a in answers)

    shown = await marie.send("Les Tournesols")
    assert "que fait" in shown[-1].text


async def test_cancel_asks_first_once_answers_were_given(
    standin: BotApiStandIn, bot: Database
) -> None:
    """With answers given, /cancel asks before losing them: "Continuer" asks the current
    question again with the answers kept; "Tout abandonner" forgets them."""
    marie = standin.user(1011, "Marie")
    await marie.send("/start")
    await marie.press("Français")
    await marie.press("Association")
    await marie.send("Les Tournesols")
    shown = await marie.send("/cancel")
    assert "Tout abandonner ? Vos réponses seront perdues." in shown[-1].text
    shown = await marie.press("Continuer", message=shown[-1])
    assert "que fait" in shown[-1].text
    await marie.send("Jardins partagés")
    shown = await marie.send("/cancel")
    shown = await marie.press("Tout abandonner", message=shown[-1])
    assert "Inscription annulée" in shown[-1].text
    shown = await marie.send("/start")
    assert "Bienvenue" in shown[-1].text


async def test_cancel_forgets_the_draft(standin: BotApiStandIn, bot: Database) -> None:
    """/cancel before any answer is typed stops the registration at once; /start then begins
    afresh."""
    marie = standin.user(1007, "Marie")
    await marie.send("/start")
    await marie.press("Français")
    await marie.press("Association")
    shown = await marie.send("/cancel")
    assert "Inscription annulée" in shown[-1].text
    shown = await marie.send("/start")
    assert "Bienvenue" in shown[-1].text
    shown = await marie.send("/cancel")
    assert "annulée" in shown[-1].text
    shown = await marie.send("/cancel")
    assert "Rien à annuler" in shown[-1].text
    assert await organisations.get_by_owner(bot, 1007) is None


async def test_restart_mid_registration_continues_at_the_same_step(
    standin: BotApiStandIn, db_path: Path
) -> None:
    """The bot stops half-way through; once restarted, the next answer continues the draft."""
    marie = standin.user(1008, "Marie")
    async with bot_running(standin, db_path):
        await marie.send("/start")
        await marie.press("Français")
        await marie.press("Association")
        await marie.send("Les Tournesols")
        question = marie.last_with_buttons()
    async with bot_running(standin, db_path) as (_, db):
        shown = await marie.send("Épicerie solidaire")
        assert "Où" in shown[-1].text
        # The button from before the restart still works.
        shown = await marie.press("Retour", message=question)
        assert "que fait" in shown[-1].text
        await marie.send("Épicerie solidaire")
        await marie.send("Metz")
        await finish_with_one_need(marie, "comptabilité")
        org = await organisations.get_by_owner(db, 1008)
        assert org is not None
        assert org.description == "Épicerie solidaire"


async def test_deep_link_payload_is_kept(standin: BotApiStandIn, bot: Database) -> None:
    """/start with an invitation payload remembers it through the registration."""
    marie = standin.user(1009, "Marie")
    await marie.send("/start evt_42")
    assert await users.get_payload(bot, 1009) == "evt_42"
    await marie.press("Français")
    await marie.press("Association")
    await marie.send("Asso")
    await marie.send("Activité")
    await marie.press("Partout")
    await finish_with_one_need(marie, "logo")
    org = await organisations.get_by_owner(bot, 1009)
    assert org is not None
    assert org.source_payload == "evt_42"


async def test_profile_edit_pause_resume_delete(standin: BotApiStandIn, bot: Database) -> None:
    """After registering: see the profile, change needs, pause, resume, then erase everything."""
    marie = standin.user(1010, "Marie")
    await register_association(marie, FR)

    shown = await marie.send("/profile")
    assert "Les Jardins <Partagés> & Co 🌱" in shown[-1].text
    assert "actif" in shown[-1].text
    await marie.press("✏️ Besoins")
    await marie.press("🏢")
    await marie.press("Locaux et salles")
    await marie.press("Toutes les catégories")
    shown = await marie.press("Terminé")
    assert "Locaux et salles" in shown[-1].text
    shown = await marie.send("une salle pour nos réunions")
    assert "Vos modifications" in shown[-1].text
    await marie.press("Enregistrer", expect=2)
    org = await organisations.get_by_owner(bot, 1010)
    assert org is not None
    assert Item("premises", "une salle pour nos réunions") in org.needs
    assert org.items(Direction.OFFER) == (Item("team_building", ""),)

    shown = await marie.send("/pause")
    assert "en pause" in shown[-1].text
    org = await organisations.get_by_owner(bot, 1010)
    assert org is not None
    assert org.status is OrgStatus.PAUSED
    shown = await marie.send("/resume")
    assert "réactivé" in shown[-1].text

    await marie.send("/delete")
    shown = await marie.press("Oui, tout supprimer")
    assert "effacées" in shown[-1].text
    assert await organisations.get_by_owner(bot, 1010) is None
    assert await users.get_language(bot, 1010) is None
    shown = await marie.send("/profile")
    assert "pas encore de profil" in shown[-1].text


async def test_language_can_be_switched(standin: BotApiStandIn, bot: Database) -> None:
    """/language switches the bot's language, also in the middle of a registration."""
    marie = standin.user(1011, "Marie", language_code="fr")
    shown = await marie.send("/language")
    shown = await marie.press("English")
    assert "English" in shown[-1].text
    shown = await marie.send("/help")
    assert "register your organisation" in shown[-1].text

    await marie.send("/start")
    await marie.press("English")
    await marie.press("Association")
    await marie.send("/language")
    shown = await marie.press("Français", expect=2)
    assert "nom" in shown[-1].text


async def test_commands_are_published_in_both_languages(
    standin: BotApiStandIn, bot: Database
) -> None:
    """The command menu exists in French and in English."""
    french = {c["command"]: c["description"] for c in standin.commands["default:fr"]}
    english = {c["command"]: c["description"] for c in standin.commands["default:en"]}
    assert french.keys() == english.keys() >= {"start", "profile", "pause", "delete", "help"}
    assert french["delete"] != english["delete"]


async def test_messages_outside_a_conversation_get_an_answer(
    standin: BotApiStandIn, bot: Database
) -> None:
    """Text, stickers and stale buttons from someone not registering are answered, not ignored."""
    paul = standin.user(1012, "Paul", language_code="en")
    shown = await paul.send("hello?")
    assert "/start" in shown[-1].text
    shown = await paul.send_sticker()
    assert "/start" in shown[-1].text
    await paul.send("/help")
    shown = await paul.send("/profile")
    assert "no profile yet" in shown[-1].text
    await register_association(paul, EN)
    message = paul.bot_messages[0]
    await paul.press(data="r:kind:company", message=message, expect=0)
    assert any("no longer valid" in str(a.get("text")) for a in standin.callback_answers.values())
    shown = await paul.send("/start")
    assert "Welcome back" in shown[-1].text


async def test_the_longest_possible_profile_still_fits_in_one_message(
    standin: BotApiStandIn, bot: Database
) -> None:
    """Every answer at its maximum length, full of HTML characters: the summary is accepted."""
    marie = standin.user(1013, "Marie")
    await marie.send("/start")
    await marie.press("Français")
    await marie.press("Association")
    await marie.send("<&>" * 33 + "x")
    await marie.send("&<" * 250)
    await marie.send("Metz " + "<" * 75)  # a place has letters or digits

    def typed(words: str) -> str:
        return (words + " " + "<&>" * 60)[:150]

    for words in ("site internet", "comptabilité", "logo", "bénévoles", "salle de réunion",
                  "livraisons"):  # fmt: skip
        await marie.send(typed(words), expect=2)
    await marie.press("Terminé")
    for words in ("ordinateurs", "formation", "impression", "traduction", "photo", "juridique"):
        await marie.send(typed(words), expect=2)
    shown = await marie.send(typed("voiture"), expect=2)
    assert "6 catégories au maximum" in shown[0].text
    await marie.press("Terminé")
    await marie.send("<" * 79 + "M")  # a name has letters
    await marie.send("a" * 64 + "@" + "b" * 60 + ".example")
    await marie.send("+352 621 123 456")
    summary = (await marie.press("J'accepte"))[-1]
    assert len(summary.text) <= 4096
    assert "Vérifiez votre profil" in summary.text
    await marie.press("Valider", expect=2)
    org = await organisations.get_by_owner(bot, 1013)
    assert org is not None
    assert len(org.needs) == 6
    assert len(org.offers) == 6
    assert org.name == "<&>" * 33 + "x"


async def test_contact_details_people_can_use(standin: BotApiStandIn, bot: Database) -> None:
    """A Luxembourg number stays in Luxembourg (+352), and at least one way to reach the
    organisation is required: without an e-mail, the phone cannot be skipped."""
    lea = standin.user(1010, "Léa")
    await lea.send("/start")
    await lea.press("Français")
    await lea.press("Association")
    await lea.send("Les Jardins du Kiem")
    await lea.send("Jardins partagés")
    await lea.send("Esch-sur-Alzette")
    await lea.send("site internet", expect=2)
    await lea.press("Terminé")
    await lea.press("Terminé")
    await lea.send("Léa Muller")
    shown = await lea.press("Passer")
    assert "au moins un moyen de vous joindre" in shown[-1].text
    assert not any("Passer" in label for label, _ in shown[-1].buttons), "no skip left"
    shown = await lea.press(data="r:skip", message=shown[-1], expect=2)
    assert "Il nous faut au moins un moyen de vous joindre" in shown[-2].text
    await lea.send("621 123 456")
    summary = (await lea.press("J'accepte"))[-1]
    assert "+352 621 123 456" in summary.text
    assert "+33" not in summary.text
