"""The organisers' event form: its diagram is its step table, and editing an event changes
one field from a summary of the current values (issue 11, "the edit form is an edit")."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.app import BotApp
from core.models import Item
from handlers.event_steps import diagram
from sandbox.scenarios import company_profile
from sandbox.standin import BotApiStandIn, SimUser
from tests.harness import ORGANISER, seed
from tests.test_events import create_event, wait_for_text

TITLE = "Bourse d'échanges <Strasbourg> & Co"


def test_the_diagram_is_drawn_from_the_step_table() -> None:
    """handlers/events.mmd is exactly what the form's table draws."""
    drawn = Path(__file__).parent.parent / "handlers" / "events.mmd"
    assert drawn.read_text(encoding="utf-8") == diagram()


async def _with_member(standin: BotApiStandIn, app: BotApp, owner: int) -> tuple[SimUser, SimUser]:
    """An event created by the organiser, and a company that joined it."""
    organiser = standin.user(ORGANISER, "Organisatrice")
    payload = await create_event(organiser)
    await seed(app, standin, company_profile(owner, "Société Y", (Item("web"),)))
    member = standin.users[owner]
    await member.send(f"/start {payload}")
    return organiser, member


async def test_editing_changes_one_field_from_a_summary_of_the_current_values(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """✏️ Modifier opens on the current values, titled as an edit; the organiser picks the date,
    sees its current value with Keep, types the new one, is back on the summary and saves:
    four actions, and participants are told."""
    organiser, member = await _with_member(standin, app, 16_000)
    card = (await organiser.send("/events"))[-1]
    summary = (await organiser.press("Modifier", message=card))[-1]
    assert summary.text.startswith(f"✏️ Modifier « {TITLE} »")
    assert "01/12/2026 14:00" in summary.text
    assert "CCI de Strasbourg" in summary.text
    labels = [label for label, _ in summary.buttons]
    for field in ("Titre", "Date et heure", "Lieu", "Minutes", "Tables", "Tours", "Participants"):
        assert any(field in label for label in labels), field
    question = (await organiser.press("Date et heure", message=summary))[-1]
    assert "Actuellement : 01/12/2026 14:00" in question.text
    assert any("Garder" in label for label, _ in question.buttons)
    summary = (await organiser.send("02/12/2026 09:30"))[-1]
    assert summary.text.startswith("✏️ Modifier")
    assert "02/12/2026 09:30" in summary.text
    assert "CCI de Strasbourg" in summary.text, "the other fields are as they were"
    shown = await organiser.press("Enregistrer", message=summary)
    assert "mis à jour" in shown[-1].text
    notice = await wait_for_text(standin, member, "a changé")
    assert "02/12/2026 09:30" in notice.text


async def test_an_edited_field_is_validated_as_in_the_creation_form(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """Too many tables is refused with the usual explanation and asked again; a number that
    fits goes back to the summary. Tables are not something participants read: they are not
    told, and the organiser hears it counts at the next publication."""
    organiser, member = await _with_member(standin, app, 16_100)
    card = (await organiser.send("/events"))[-1]
    summary = (await organiser.press("Modifier", message=card))[-1]
    await organiser.press("Tables", message=summary)
    shown = await organiser.send("500", expect=2)
    assert "J'attends un nombre entre 1 et 200" in shown[0].text
    assert "Actuellement : 10" in shown[1].text
    summary = (await organiser.send("12 tables"))[-1]
    assert "12 tables" in summary.text
    received = len(member.bot_messages)
    shown = await organiser.press("Enregistrer", message=summary)
    assert "prochaine publication" in shown[-1].text
    await asyncio.sleep(0.3)
    assert len(member.bot_messages) == received


async def test_keep_or_cancel_changes_nothing_and_tells_nobody(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """Keep goes back to the summary unchanged; saving with nothing changed says so and sends
    participants nothing; Cancel leaves the event as it was."""
    organiser, member = await _with_member(standin, app, 16_200)
    received = len(member.bot_messages)
    card = (await organiser.send("/events"))[-1]
    summary = (await organiser.press("Modifier", message=card))[-1]
    await organiser.press("Lieu", message=summary)
    summary = (await organiser.press("Garder"))[-1]
    assert "CCI de Strasbourg" in summary.text
    shown = await organiser.press("Enregistrer", message=summary)
    assert "Rien n'a changé" in shown[-1].text
    summary = (await organiser.press("Modifier", message=card))[-1]
    await organiser.press("Titre", message=summary)
    await organiser.send("Autre titre")
    shown = await organiser.press("Annuler")
    assert "Rien n'a été enregistré" in shown[-1].text
    card = (await organiser.send("/events"))[-1]
    assert TITLE in card.text
    await asyncio.sleep(0.3)
    assert len(member.bot_messages) == received


async def test_the_creation_summary_can_correct_one_answer(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """A typo seen on the summary is corrected with its ✏️ button, without starting over."""
    organiser = standin.user(ORGANISER, "Organisatrice")
    await organiser.send("/newevent")
    await organiser.send("Bourse")
    await organiser.send("01/12/2026 14:00")
    await organiser.send("CCI")
    await organiser.press("7 minutes")
    await organiser.send("10")
    await organiser.send("10")
    summary = (await organiser.send("15"))[-1]
    await organiser.press("Lieu", message=summary)
    summary = (await organiser.send("CCI de Strasbourg"))[-1]
    assert "CCI de Strasbourg" in summary.text
    assert "Bourse" in summary.text
    shown = await organiser.press("Enregistrer", expect=2)
    assert "Événement créé" in shown[0].text
    assert shown[-1].photo is not None


async def test_typing_a_buttons_label_works_like_pressing_it(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """On a phone, « lieu », « garder » and « enregistrer » typed do what the buttons do; a word
    that is no button at the summary says to use the buttons and changes nothing."""
    organiser, member = await _with_member(standin, app, 16_400)
    card = (await organiser.send("/events"))[-1]
    await organiser.press("Modifier", message=card)
    shown = await organiser.send("peut-être", expect=2)
    assert "bouton" in shown[0].text
    assert shown[1].text.startswith("✏️ Modifier")
    question = (await organiser.send("lieu"))[-1]
    assert "Actuellement : CCI de Strasbourg" in question.text
    summary = (await organiser.send("garder"))[-1]
    assert "CCI de Strasbourg" in summary.text
    await organiser.send("date et heure")
    await organiser.send("02/12/2026 09:30")
    shown = await organiser.send("enregistrer")
    assert "mis à jour" in shown[-1].text
    notice = await wait_for_text(standin, member, "a changé")
    assert "02/12/2026 09:30" in notice.text


async def test_a_number_for_another_question_is_not_taken_and_a_long_event_is_flagged(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """« 10 tables » typed at the minutes question is refused (not 10 minutes), « environ 10 »
    is read; 30 rounds of 10 minutes is accepted but the summary says it makes 5 hours."""
    organiser = standin.user(ORGANISER, "Organisatrice")
    await organiser.send("/newevent")
    await organiser.send("Bourse")
    await organiser.send("samedi 10h")
    await organiser.send("CCI")
    shown = await organiser.send("10 tables", expect=2)
    assert "semble répondre à une autre question" in shown[0].text
    assert "entre 3 et 30" in shown[0].text
    assert "minutes par rencontre" in shown[1].text
    await organiser.send("environ 10")
    await organiser.send("10 tables")
    summary = (await organiser.send("30 tours"))[-1]
    assert summary.text.startswith("Combien de participants")
    summary = (await organiser.send("20"))[-1]
    assert "10 min par rencontre · 10 tables · 30 tours" in summary.text
    assert "5 h de rencontres en tout" in summary.text


async def test_a_date_with_a_month_name_is_read_and_shown_with_its_weekday(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """« hier 14h » is not guessed; « samedi » alone asks for the time; a weekday that is not
    the date's is refused; « le 5 décembre 2026 à 14h » is the 5th of December, shown on the
    summary and the confirmation with its weekday. 20 per side for 8 tables: the summary warns
    that some will wait each round."""
    organiser = standin.user(ORGANISER, "Organisatrice")
    await organiser.send("/newevent")
    await organiser.send("Bourse Arlon")
    shown = await organiser.send("hier 14h", expect=2)
    assert "Je n'ai pas compris la date" in shown[0].text
    shown = await organiser.send("samedi", expect=2)
    assert "Il manque l'heure" in shown[0].text
    shown = await organiser.send("vendredi 5 décembre 14h", expect=2)
    assert "ne correspond pas à la date" in shown[0].text
    assert "Quand commence-t-il" in shown[1].text
    await organiser.send("le 5 décembre 2026 à 14h")
    await organiser.send("Maison des associations")
    await organiser.press("7 minutes")
    await organiser.send("8")
    await organiser.send("5")
    summary = (await organiser.send("20"))[-1]
    assert "samedi 05/12/2026 14:00" in summary.text
    assert "20 participants de chaque côté pour 8 tables" in summary.text
    assert "jusqu'à 12 de chaque côté attendront à chaque tour" in summary.text
    shown = await organiser.press("Enregistrer", expect=2)
    assert "Bourse Arlon, samedi 05/12/2026 14:00" in shown[0].text


async def test_a_change_before_publication_says_what_changed(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """A new venue before anything is published: participants read « 📍 nouveau lieu : … »
    (and nothing about the date), and the organiser is not told to republish a schedule that
    was never published."""
    organiser, member = await _with_member(standin, app, 16_600)
    card = (await organiser.send("/events"))[-1]
    assert any(label == "🗓 Publier le programme" for label, _ in card.buttons)
    summary = (await organiser.press("Modifier", message=card))[-1]
    await organiser.press("Lieu", message=summary)
    await organiser.send("Maison des associations")
    shown = await organiser.press("Enregistrer")
    assert "mis à jour" in shown[-1].text
    assert "Republiez" not in shown[-1].text
    notice = await wait_for_text(standin, member, "a changé")
    assert "📍 nouveau lieu : Maison des associations" in notice.text
    assert "📅" not in notice.text
    assert "/wishes pour choisir qui rencontrer" in notice.text
