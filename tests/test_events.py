"""Speed meetings end to end through the stand-in: create, invite, join, wish, publish,
agendas and calendar files, reminders, live rounds, records on the spot, follow-ups."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from bot.app import BotApp
from core.models import Item
from sandbox.scenarios import (
    association_profile,
    company_profile,
    finish_with_one_need,
    publish_schedule,
)
from sandbox.standin import BotApiStandIn, ChatMessage, SimUser
from tests.harness import ORGANISER, Clock, seed

LETTERS = "ABCDEFGHIJ"
START = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)  # 14:00 in Paris


async def create_event(organiser: SimUser, tables: str = "10", rounds: str = "10") -> str:
    """The organiser's guided chat; returns the invitation payload."""
    await organiser.send("/newevent")
    await organiser.send("Bourse d'échanges <Strasbourg> & Co")
    await organiser.send("01/12/2026 14:00")
    await organiser.send("CCI de Strasbourg")
    await organiser.press("7 minutes")
    await organiser.send(tables)
    await organiser.send(rounds)
    summary = (await organiser.send("15"))[-1]
    assert "Bourse d'échanges <Strasbourg> & Co" in summary.text
    shown = await organiser.press("Enregistrer", expect=2)
    invitation = shown[-1]
    assert invitation.photo is not None
    assert invitation.photo.startswith(b"\x89PNG"), "a QR code picture"
    link = next(w for w in invitation.text.split() if w.startswith("https://t.me/"))
    assert link.startswith("https://t.me/passerelle_test_bot?start=ev_")
    return link.split("start=")[1]


async def wait_for_text(standin: BotApiStandIn, user: SimUser, words: str) -> ChatMessage:
    await standin.wait_for(lambda: any(words in m.text for m in user.bot_messages), 10)
    return next(m for m in reversed(user.bot_messages) if words in m.text)


async def test_a_speed_meeting_from_invitation_to_partnerships(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    organiser = standin.user(ORGANISER, "Organisatrice")
    payload = await create_event(organiser)

    companies, associations = [], []
    for n, letter in enumerate(LETTERS):
        await seed(app, standin, company_profile(11_000 + n, f"Société {letter}", (Item("web"),)))
        await seed(app, standin, association_profile(12_000 + n, f"Asso {letter}"))
        companies.append(standin.users[11_000 + n])
        associations.append(standin.users[12_000 + n])
    for user in companies + associations:
        shown = await user.send(f"/start {payload}")
        assert "Vous êtes inscrit·e" in shown[-1].text
        assert "ne demande pas d'argent" in shown[-1].text

    # A wish: Asso A wants to meet Société C (shown with their match reasons).
    shown = await associations[0].send("/wishes", expect=2)
    assert "10 participants" in shown[0].text
    await associations[0].press("☆ Société C", message=shown[1])
    assert any("★ Société C" in label for label, _ in shown[1].buttons)

    # Publication: every participant gets an agenda and a calendar file.
    cards = await organiser.send("/events")
    mark = standin.event_count
    await publish_schedule(organiser, cards[-1])
    await wait_for_text(standin, organiser, "100 rencontres en 10 tours")
    # The grid follows through the outbox: the CSV, then the picture to project.
    photos = sum(m.photo is not None for m in organiser.bot_messages)  # the invitation's QR
    await standin.wait_for(
        lambda: sum(m.photo is not None for m in organiser.bot_messages) > photos, 10
    )
    files = [m for m in organiser.bot_messages if m.document is not None]
    assert files[-1].document is not None
    # For Excel: UTF-8 with a BOM, French headers and separators.
    assert (
        files[-1].document[1].startswith("\ufeffTour;Début;Table;Entreprise;Association".encode())
    )
    await standin.wait_for(
        lambda: all(any(m.document for m in u.bot_messages) for u in companies + associations), 15
    )
    asso_a = associations[0]
    agenda = next(m for m in asso_a.bot_messages if "Votre agenda" in m.text)
    assert agenda.text.count("Tour ") == 10
    assert "Société C" in agenda.text
    assert "ne fait pas de démarchage" in agenda.text
    ics = next(m for m in asso_a.bot_messages if m.document)
    assert ics.document is not None
    calendar = Calendar.from_ical(ics.document[1])
    entries = list(calendar.walk("VEVENT"))
    assert len(entries) == 10
    assert standin.event_count > mark

    # Publishing again with nothing changed sends nothing (a double tap).
    shown = await publish_schedule(organiser, cards[-1])
    assert "rien n'a changé" in shown[-1].text
    assert sum(1 for m in asso_a.bot_messages if m.document) == 1
    # After a late registration, publishing again tells only those whose meetings change
    # (tests/test_event_republish.py follows them and their calendar files).
    late = await seed(app, standin, company_profile(11_100, "Société K", (Item("web"),)))
    await standin.users[late.owner_user_id].send(f"/start {payload}")
    shown = await publish_schedule(organiser, cards[-1], expect=3)
    assert "republié" in shown[0].text

    # Reminders the day before and an hour before.
    clock.moment = START.replace(day=30, month=11, minute=1)
    await wait_for_text(standin, asso_a, "Demain à 14:00")
    clock.moment = START.replace(hour=12, minute=1)
    await wait_for_text(standin, asso_a, "Dans une heure")

    # Live mode: "Round 1 — table T — meet X" when the round starts.
    cards = await organiser.send("/events")
    await organiser.press("Mode direct", message=cards[-1])
    clock.moment = START.replace(minute=0, second=30)
    live = await wait_for_text(standin, asso_a, "rencontrez")
    assert "Tour 1 — table" in live.text

    # On the spot: Asso A records a partnership with Société C, who confirms.
    mark = standin.event_count
    await asso_a.press("📝 Société C", message=agenda)
    await asso_a.press("Société C nous apporte")
    await asso_a.press("Mécénat de compétences")
    await asso_a.send("Refonte du site web de l'association")
    await asso_a.press("Passer")
    await asso_a.press("Passer")
    await asso_a.press("Envoyer à Société C")
    societe_c = companies[2]
    request = await wait_for_text(standin, societe_c, "a enregistré votre partenariat")
    await societe_c.press("Je confirme", message=request)
    count = await wait_for_text(standin, organiser, "signé à ce jour")
    assert "1 partenariat signé à ce jour" in count.text, "French singular"

    # Follow-up marks: mutual ones become an introduction with contact details.
    await asso_a.press("🔁 Société C", message=agenda, expect=0)
    assert not any("Mise en relation" in m.text for m in asso_a.bot_messages)
    societe_agenda = next(m for m in societe_c.bot_messages if "Votre agenda" in m.text)
    await societe_c.press("🔁 Asso A", message=societe_agenda, expect=0)
    intro = await wait_for_text(standin, asso_a, "Mise en relation")
    assert "c11002@example.org" in intro.text
    await societe_c.press("🔁 Asso A", message=societe_agenda, expect=0)
    await asyncio.sleep(0.2)
    assert sum("Mise en relation" in m.text for m in asso_a.bot_messages) == 1

    cards = await organiser.send("/events")
    report = (await organiser.press("Compteur et bilan", message=cards[-1]))[-1]
    assert "11 entreprises, 10 associations" in report.text
    assert "100 rencontres programmées" in report.text
    assert "1 partenariat enregistré" in report.text
    assert standin.event_count > mark


async def test_a_newcomer_registers_from_the_invitation_and_is_taken_to_the_event(
    standin: BotApiStandIn, app: BotApp
) -> None:
    organiser = standin.user(ORGANISER, "Organisatrice")
    payload = await create_event(organiser)
    newcomer = standin.user(13_000, "Nina")
    [first] = await newcomer.send(f"/start {payload}")
    # Told at once what the link is for, above the first question (its buttons unchanged).
    assert (
        "Vous êtes invité·e à « Bourse d'échanges <Strasbourg> & Co » : "
        "je vous y inscris dès votre profil terminé." in first.text
    )
    [plain] = await standin.user(13_001, "Paul").send("/start")
    assert "invité" not in plain.text
    assert first.buttons == plain.buttons
    await newcomer.press("Français")
    await newcomer.press("Association")
    await newcomer.send("Les Petits Débrouillards")
    await newcomer.send("Ateliers scientifiques")
    await newcomer.send("Strasbourg")
    await finish_with_one_need(newcomer, "site internet", confirm_expect=3)
    assert "Vous êtes inscrit·e à" in newcomer.bot_messages[-1].text


async def test_only_organisers_create_or_change_events(standin: BotApiStandIn, app: BotApp) -> None:
    organiser = standin.user(ORGANISER, "Organisatrice")
    await create_event(organiser)
    intruder = standin.user(14_000, "Ivan")
    shown = await intruder.send("/newevent")
    assert "réservée aux organisateurs" in shown[-1].text
    shown = await intruder.send("/events")
    assert "réservée aux organisateurs" in shown[-1].text
    card = (await organiser.send("/events"))[-1]
    await intruder.press(data=card.buttons[2][1], message=card, expect=0)
    answers = [str(a.get("text")) for a in standin.callback_answers.values()]
    assert any("réservée aux organisateurs" in a for a in answers)
    await asyncio.sleep(0.2)
    assert not any("Programme de" in m.text for m in organiser.bot_messages)


async def test_a_report_before_any_partnership_says_none_yet(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """The organiser's report reads as a sentence: "aucun pour l'instant", not "non renseigné"."""
    organiser = standin.user(ORGANISER, "Organisatrice")
    await create_event(organiser)
    card = (await organiser.send("/events"))[-1]
    report = (await organiser.press("Compteur et bilan", message=card))[-1]
    assert "aucun pour l'instant" in report.text
    assert "non renseigné" not in report.text


async def test_cancelling_tells_every_participant(standin: BotApiStandIn, app: BotApp) -> None:
    organiser = standin.user(ORGANISER, "Organisatrice")
    payload = await create_event(organiser)
    await seed(app, standin, company_profile(15_000, "Société Z", (Item("web"),)))
    member = standin.users[15_000]
    await member.send(f"/start {payload}")
    card = (await organiser.send("/events"))[-1]
    confirm = (await organiser.press("Annuler l'événement", message=card))[-1]
    await organiser.press("Oui, annuler", message=confirm)
    notice = await wait_for_text(standin, member, "est annulé")
    assert "Bourse d'échanges <Strasbourg> & Co" in notice.text


async def test_the_event_form_reads_dates_and_numbers_as_people_type_them(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """ "samedi 10h" is a date; "10 tables" and "environ 8" are numbers; an unreadable date or
    a long answer at a number step gets the usual explanation, never "too long"."""
    organiser = standin.user(ORGANISER, "Organisatrice")
    await organiser.send("/newevent")
    await organiser.send("Bourse du samedi")
    shown = await organiser.send("un de ces jours", expect=2)
    assert "Je n'ai pas compris la date" in shown[-2].text  # the explanation, then the question
    await organiser.send("samedi 10h")
    await organiser.send("Maison des associations")
    await organiser.press("7 minutes")
    shown = await organiser.send(
        "il nous faudrait " + "vraiment " * 30 + "beaucoup de tables", expect=2
    )
    assert "trop long" not in shown[-2].text
    assert "J'attends un nombre entre" in shown[-2].text
    await organiser.send("10 tables")
    await organiser.send("environ 8")
    summary = (await organiser.send("15 de chaque côté"))[-1]
    assert "28/11/2026 10:00" in summary.text  # the test clock is Monday 23/11/2026
    assert "10" in summary.text


async def test_editing_a_published_event_reissues_agendas_and_moves_reminders(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    """The start moves from 14:00 to 16:00 after publication: each participant is told, gets
    the agenda and a calendar file again (same entries, SEQUENCE up, new times), is not sent to
    the closed wishes, and the day-before reminder comes for the new time, not the old."""
    organiser = standin.user(ORGANISER, "Organisatrice")
    payload = await create_event(organiser, tables="2", rounds="2")
    await seed(app, standin, company_profile(17_000, "Société W", (Item("web"),)))
    await seed(app, standin, association_profile(17_100, "Asso W"))
    company, asso = standin.users[17_000], standin.users[17_100]
    for user in (company, asso):
        await user.send(f"/start {payload}")
    card = (await organiser.send("/events"))[-1]
    await publish_schedule(organiser, card)
    await standin.wait_for(lambda: any(m.document for m in asso.bot_messages), 10)
    first = Calendar.from_ical(next(m for m in asso.bot_messages if m.document).document[1])  # type: ignore[index]

    # The grid follows the publication through the outbox: wait for it, then open /events.
    await standin.wait_for(lambda: any(m.photo for m in organiser.bot_messages[-3:]), 10)
    card = (await organiser.send("/events"))[-1]
    assert any(label == "🗓 Republier le programme" for label, _ in card.buttons)
    summary = (await organiser.press("Modifier", message=card))[-1]
    await organiser.press("Date et heure", message=summary)
    await organiser.send("01/12/2026 16h")
    shown = await organiser.press("Enregistrer", expect=1)
    assert "Republiez le programme si les tables ou les tours doivent changer" in shown[-1].text
    notice = await wait_for_text(standin, asso, "a changé")
    assert "📅 nouvelle date : mardi 01/12/2026 16:00" in notice.text
    assert "📍" not in notice.text, "the venue did not change"
    assert "/wishes" not in notice.text
    await standin.wait_for(lambda: sum(1 for m in asso.bot_messages if m.document) == 2, 10)
    again = Calendar.from_ical([m for m in asso.bot_messages if m.document][-1].document[1])  # type: ignore[index]
    [before], [after] = list(first.walk("VEVENT")), list(again.walk("VEVENT"))
    assert str(after["UID"]) == str(before["UID"]), "the same entry, updated"
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("DTSTART") - before.decoded("DTSTART") == timedelta(hours=2)

    # The day before at 14:01 (the old time): no reminder yet; at 16:01: the reminder.
    clock.moment = START.replace(day=30, month=11, minute=1)
    await asyncio.sleep(0.5)
    assert not any("Demain" in m.text for m in asso.bot_messages)
    clock.moment = START.replace(day=30, month=11, hour=15, minute=1)
    reminder = await wait_for_text(standin, asso, "Demain à 16:00")
    assert "Asso W" not in reminder.text


async def test_help_reminds_participants_of_their_wishes_while_they_are_open(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """A participant's /help points to /wishes until the schedule is published."""
    organiser = standin.user(ORGANISER, "Organisatrice")
    payload = await create_event(organiser, tables="2", rounds="2")
    await seed(app, standin, company_profile(18_000, "Société V", (Item("web"),)))
    await seed(app, standin, association_profile(18_100, "Asso V"))
    company = standin.users[18_000]
    shown = await company.send("/help")
    assert "/wishes" not in shown[-1].text
    for user in (company, standin.users[18_100]):
        await user.send(f"/start {payload}")
    shown = await company.send("/help")
    assert "/wishes pour dire qui vous voulez rencontrer" in shown[-1].text
    card = (await organiser.send("/events"))[-1]
    await publish_schedule(organiser, card)
    await standin.wait_for(lambda: any(m.document for m in company.bot_messages), 10)
    shown = await company.send("/help")
    assert "ce que vous pouvez faire" in shown[-1].text
    assert "/wishes pour dire" not in shown[-1].text


async def test_publishing_asks_first_since_it_messages_every_participant(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """« Publier le programme » asks « Envoyer le programme … aux 2 participants ? »; « Non »
    sends nobody anything; « Oui, envoyer » publishes."""
    organiser = standin.user(ORGANISER, "Organisatrice")
    payload = await create_event(organiser, tables="2", rounds="2")
    await seed(app, standin, company_profile(19_000, "Société U", (Item("web"),)))
    await seed(app, standin, association_profile(19_100, "Asso U"))
    company, asso = standin.users[19_000], standin.users[19_100]
    for user in (company, asso):
        await user.send(f"/start {payload}")
    card = (await organiser.send("/events"))[-1]
    question = (await organiser.press("Publier le programme", message=card))[-1]
    assert "Envoyer le programme de Bourse d'échanges <Strasbourg> & Co" in question.text
    assert "aux 2 participants ?" in question.text
    shown = await organiser.press("Non", message=question)
    assert "Rien n'est envoyé" in shown[-1].text
    await asyncio.sleep(0.3)
    assert not any("Votre agenda" in m.text for m in company.bot_messages + asso.bot_messages)
    shown = await publish_schedule(organiser, card)
    assert "publié" in shown[-1].text
    await standin.wait_for(lambda: any(m.document for m in asso.bot_messages), 10)


async def test_fewer_rounds_than_asked_are_explained(standin: BotApiStandIn, app: BotApp) -> None:
    """5 rounds asked, one company and one association: one round is all there can be, and the
    publication's summary says why in one clause."""
    organiser = standin.user(ORGANISER, "Organisatrice")
    payload = await create_event(organiser, tables="2", rounds="5")
    await seed(app, standin, company_profile(17_700, "Société F", (Item("web"),)))
    await seed(app, standin, association_profile(17_800, "Asso F"))
    for owner in (17_700, 17_800):
        await standin.users[owner].send(f"/start {payload}")
    card = (await organiser.send("/events"))[-1]
    shown = await publish_schedule(organiser, card)
    assert (
        "1 rencontre en 1 tour (sur les 5 demandés : pas assez de participants pour plus de "
        "rencontres différentes)." in shown[-1].text
    )


async def test_every_agenda_lists_every_round_with_its_breaks(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """Three companies and two associations: three rounds, each company has one break (in
    the first, a middle or the last round) and every agenda shows all three rounds."""
    organiser = standin.user(ORGANISER, "Organisatrice")
    payload = await create_event(organiser)
    people = []
    for n, letter in enumerate("ABC"):
        await seed(app, standin, company_profile(15_000 + n, f"Société {letter}", (Item("web"),)))
        people.append(standin.users[15_000 + n])
    for n, letter in enumerate("AB"):
        await seed(app, standin, association_profile(16_000 + n, f"Asso {letter}"))
        people.append(standin.users[16_000 + n])
    for user in people:
        await user.send(f"/start {payload}")
    cards = await organiser.send("/events")
    await publish_schedule(organiser, cards[-1])
    await standin.wait_for(lambda: all(any(m.document for m in u.bot_messages) for u in people))
    breaks = []
    for user in people:
        agenda = next(m for m in user.bot_messages if "Votre agenda" in m.text)
        lines = [line for line in agenda.text.splitlines() if line.startswith("Tour ")]
        assert [line.split(" · ")[0] for line in lines] == ["Tour 1", "Tour 2", "Tour 3"]
        breaks += [n for n, line in enumerate(lines) if "☕ pause" in line]
    assert sorted(breaks) == [0, 1, 2], "each company has one break, one per round"
