"""Conversations a person has with the bot, used by the tests and the benchmarks."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

from core.models import Contact, Item, Location, OrgKind, ProfileData
from core.pipeline import NudgeKind, Planned
from sandbox.standin import BotApiStandIn, ChatMessage, SimUser
from storage import events, organisations, partnerships
from storage.db import Database

FR = {
    "lang": "Français",
    "association": "Association",
    "company": "Entreprise",
    "remote": "Partout",
    "done": "Terminé",
    "skip": "Passer",
    "agree": "J'accepte",
    "confirm": "Valider",
    "families": "Toutes les catégories",
}
EN = {
    "lang": "English",
    "association": "Association",
    "company": "Company",
    "remote": "Anywhere",
    "done": "Done",
    "skip": "Skip",
    "agree": "I agree",
    "confirm": "Confirm",
    "families": "All categories",
}


async def register_association(
    user: SimUser, words: dict[str, str] = FR, *, started: bool = False
) -> ChatMessage:
    """A whole registration as an association leader would do it; returns the last message."""
    if not started:
        await user.send("/start")
    await user.press(words["lang"])
    await user.press(words["association"])
    await user.send("Les Jardins <Partagés> & Co 🌱")
    await user.send("Nous animons des jardins partagés et des chantiers d'insertion.")
    await user.send("Strasbourg")
    # Needs: one picked with the buttons, one typed in the user's own words.
    await user.press("🧠")
    await user.press("Site web" if words is FR else "Web site")
    await user.press(words["families"])
    await user.send("conseil en communication", expect=2)
    await user.press(words["done"])
    await user.send("un site internet pour nos bénévoles")
    # Offers: a team-building day.
    await user.press("🙌")
    await user.press("Journée solidaire" if words is FR else "Team-building day")
    await user.press(words["families"])
    await user.press(words["done"])
    await user.press(words["skip"])
    await user.send("Aline Schmitt")
    await user.send("aline@jardins.example")
    await user.send("03 88 00 00 01")
    await user.press(words["agree"])
    shown = await user.press(words["confirm"], expect=2)
    return shown[-1]


async def finish_with_one_need(
    user: SimUser, need_words: str, *, confirm_expect: int = 2
) -> ChatMessage:
    """From the needs question (French): one typed need, no offer, a contact with no email or
    phone, consent, confirm. Returns the last message confirming showed."""
    await user.send(need_words, expect=2)
    await user.press(FR["done"])
    await user.press(FR["done"])
    await user.send("Jeanne")
    await user.press(FR["skip"])
    await user.press(FR["skip"])
    await user.press(FR["agree"])
    shown = await user.press(FR["confirm"], expect=confirm_expect)
    return shown[-1]


def company_profile(owner: int, name: str, offers: tuple[Item, ...]) -> ProfileData:
    """A company in Strasbourg offering `offers`, contact details made up."""
    return ProfileData(
        kind=OrgKind.COMPANY,
        name=name,
        description="Entreprise",
        location=Location("Strasbourg"),
        needs=(),
        offers=offers,
        contact=Contact(f"Contact {owner}", f"c{owner}@example.org", None),
        language="fr",
        owner_user_id=owner,
        owner_username=None,
    )


def association_profile(owner: int, name: str) -> ProfileData:
    """An association in Strasbourg needing a web site and communication."""
    return ProfileData(
        kind=OrgKind.ASSOCIATION,
        name=name,
        description="Association",
        location=Location("Strasbourg"),
        needs=(Item("web", "site internet"), Item("comms", "communication")),
        offers=(),
        contact=Contact(f"Contact {owner}", f"a{owner}@example.org", None),
        language="fr",
        owner_user_id=owner,
        owner_username=None,
    )


async def seed_due_nudges(
    db_path: Path, standin: BotApiStandIn, count: int, *, first_owner: int, now: datetime
) -> None:
    """`count` associations (and their users), each with a "still current?" nudge due now."""
    db = await Database.open(db_path)
    try:
        for n in range(count):
            owner = first_owner + n
            standin.user(owner, f"User{n}")
            org = await organisations.create(db, association_profile(owner, f"Asso {n}"), now)
            async with db.transaction() as conn:
                await partnerships.plan(conn, [Planned(NudgeKind.PROFILE_FRESH, org.id, now)], now)
    finally:
        await db.close()


def nudge_deliveries(standin: BotApiStandIn) -> Counter[str]:
    """How many times each nudge reached a chat (its buttons carry its id)."""
    counted: Counter[str] = Counter()
    for owner in standin.users:
        for message in standin.chat(owner):
            if message.from_bot and message.buttons and message.buttons[0][1].startswith("nd:"):
                counted[message.buttons[0][1].split(":")[1]] += 1
    return counted


async def seed_event(
    db_path: Path,
    standin: BotApiStandIn,
    *,
    companies: int,
    associations: int,
    organiser: int,
    first_owner: int,
    starts_at: datetime,
    now: datetime,
    rounds: int | None = None,
    minutes: int = 7,
) -> int:
    """A speed meeting with its participants already registered and joined; returns its id.

    Companies are owned by first_owner, first_owner + 1, ...; associations follow them.
    """
    db = await Database.open(db_path)
    try:
        standin.user(organiser, "Organisatrice")
        event = await events.create(
            db,
            title="Bourse d'échanges",
            starts_at=starts_at,
            venue="Strasbourg",
            minutes=minutes,
            tables=max(companies, associations),
            rounds=rounds or max(companies, associations),
            max_per_side=max(companies, associations),
            invite_code=f"bench{first_owner}",
            organiser_user_id=organiser,
            now=now,
        )
        for n in range(companies + associations):
            owner = first_owner + n
            standin.user(owner, f"User{n}")
            profile = (
                company_profile(owner, f"Société {n}", (Item("web", "sites web"),))
                if n < companies
                else association_profile(owner, f"Asso {n}")
            )
            org = await organisations.create(db, profile, now)
            await events.join(db, event.id, org.id, now)
        return event.id
    finally:
        await db.close()
