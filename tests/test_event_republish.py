"""A republished schedule tells each participant exactly what moved for them, and nobody
else anything (issue 11: "Tour 2 → Tour 3, table 4")."""

from __future__ import annotations

import asyncio

from icalendar import Calendar

from bot.app import BotApp
from core.models import Item
from sandbox.scenarios import association_profile, company_profile, publish_schedule
from sandbox.standin import BotApiStandIn, SimUser
from tests.harness import ORGANISER, seed
from tests.test_events import create_event


def _moves(user: SimUser) -> list[str]:
    return [m.text for m in user.bot_messages if "votre programme change" in m.text]


async def test_after_a_late_registration_only_the_moved_are_told_what_moved(
    standin: BotApiStandIn, app: BotApp
) -> None:
    organiser = standin.user(ORGANISER, "Organisatrice")
    payload = await create_event(organiser, tables="2", rounds="3")
    people: dict[str, SimUser] = {}
    for n, name in enumerate(("Société A", "Société B")):
        await seed(app, standin, company_profile(31_000 + n, name, (Item("web"),)))
        people[name] = standin.users[31_000 + n]
    for n, name in enumerate(("Asso A", "Asso B")):
        await seed(app, standin, association_profile(31_100 + n, name))
        people[name] = standin.users[31_100 + n]
    for user in people.values():
        await user.send(f"/start {payload}")
    card = (await organiser.send("/events"))[-1]
    await publish_schedule(organiser, card, expect=3)
    everyone = list(people.values())
    await standin.wait_for(lambda: all(any(m.document for m in u.bot_messages) for u in everyone))
    received = {name: len(user.bot_messages) for name, user in people.items()}

    # Société C registers late: 6 meetings need a third round; one meeting moves (the fewest).
    await seed(app, standin, company_profile(31_002, "Société C", (Item("web"),)))
    people["Société C"] = late = standin.users[31_002]
    [joined] = await late.send(f"/start {payload}")
    assert "Le programme est déjà publié" in joined.text
    card = (await organiser.send("/events"))[-1]
    assert "1 inscrit·e sans rencontre au programme : republiez-le pour l'ajouter" in card.text
    question = (await organiser.press("Republier le programme", message=card))[-1]
    assert "Seuls ceux dont les rencontres changent sont prévenus" in question.text
    shown = await organiser.press("Oui, envoyer", message=question, expect=3)
    assert "6 rencontres en 3 tours" in shown[0].text
    assert "4 participants ont reçu leur agenda à jour" in shown[0].text
    assert "1 autre, inchangé, n'a rien reçu" in shown[0].text

    def documents(user: SimUser) -> int:
        return sum(1 for m in user.bot_messages if m.document)

    await standin.wait_for(lambda: documents(late) == 1 and documents(people["Asso B"]) == 2)
    await asyncio.sleep(0.3)
    title = "🔁 Bourse d'échanges <Strasbourg> & Co : votre programme change."
    follow = "Votre agenda et votre fichier calendrier à jour suivent."
    assert _moves(people["Société B"]) == [
        f"{title}\n\nTour 1 → Tour 3, table 2 : Asso A\n\n{follow}"
    ]
    assert _moves(people["Asso A"]) == [
        f"{title}\n\n➕ Tour 1, table 2 : Société C (nouvelle rencontre)\n"
        f"Tour 1 → Tour 3, table 2 : Société B\n\n{follow}"
    ]
    assert _moves(people["Asso B"]) == [
        f"{title}\n\n➕ Tour 3, table 1 : Société C (nouvelle rencontre)\n\n{follow}"
    ]
    # Each of them gets the agenda and calendar file again; the newcomer only their agenda.
    assert [documents(people[n]) for n in ("Société B", "Asso A", "Asso B")] == [2, 2, 2]
    assert _moves(late) == []
    assert any("Votre agenda" in m.text for m in late.bot_messages)
    # Asso B's calendar entries are the same entries, updated (SEQUENCE 2), plus the new one.
    files = [m.document for m in people["Asso B"].bot_messages if m.document]
    before, after = (list(Calendar.from_ical(f[1]).walk("VEVENT")) for f in files if f)
    assert {str(e["UID"]) for e in before} < {str(e["UID"]) for e in after}
    assert {int(e["SEQUENCE"]) for e in after} == {2}
    # Société A meets whom it met, when and where it did: nothing at all.
    assert len(people["Société A"].bot_messages) == received["Société A"]
