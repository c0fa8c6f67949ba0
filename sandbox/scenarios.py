"""Conversations a person has with the bot, used by the tests and the benchmarks."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

from core.models import Contact, Item, Location, OrgKind, ProfileData
from core.pipeline import NudgeKind, Planned
from core.validation import (
    MAX_CONTACT,
    MAX_DESCRIPTION,
    MAX_DETAIL,
    MAX_LOCATION,
    MAX_NAME,
)
from sandbox.standin import BotApiStandIn, ChatMessage, SimUser
from storage import events, organisations, pipeline
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


async def at_location(user: SimUser) -> None:
    """/start to the location question, in French: an association, its name, activity."""
    await user.send("/start")
    await user.press("Français")
    await user.press("Association")
    await user.send("Les Tournesols")
    await user.send("Épicerie solidaire")


async def at_needs(user: SimUser) -> None:
    """/start to the needs question, in French: an association, its name, activity, town."""
    await at_location(user)
    await user.send("Metz")


async def at_needs_in_english(user: SimUser) -> None:
    """The same for a user whose Telegram is in English (no language question)."""
    await user.send("/start")
    await user.press("Association")
    await user.send("Sunflowers")
    await user.send("A community grocery")
    await user.send("Metz")


async def from_offers_to_the_end(user: SimUser) -> None:
    """From the offers (French): volunteers offered, a contact, a phone, consent, confirm."""
    await user.press("🙌")
    await user.press("Bénévoles")
    await user.press("Toutes les catégories")
    await user.press("Terminé")
    await user.press("Passer")
    await user.send("Jeanne")
    await user.press("Passer")
    await user.send("06 12 34 56 78")
    await user.press("J'accepte")
    await user.press("Valider", expect=2)


def labels(message: ChatMessage) -> list[str]:
    """The labels of a message's buttons, in order."""
    return [label for label, _ in message.buttons]


async def finish_with_one_need(
    user: SimUser, need_words: str, *, confirm_expect: int = 2
) -> ChatMessage:
    """From the needs question (French): one typed need, no offer, a contact with no email but
    a phone (one way to reach them is required), consent, confirm. Returns the last message
    confirming showed."""
    await user.send(need_words, expect=2)
    await user.press(FR["done"])
    await user.press(FR["done"])
    await user.send("Jeanne")
    await user.press(FR["skip"])
    await user.send("06 12 34 56 78")
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
                await pipeline.plan(conn, [Planned(NudgeKind.PROFILE_FRESH, org.id, now)], now)
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


# --- the longest answers the forms accept ---------------------------------------------------

# What costs most in a Telegram message, mixed: emoji (two UTF-16 units each), accented
# letters, and <&> (escaped in HTML, one unit each once parsed). Single spaces, so that the
# forms' whitespace clean-up keeps every character.
_COSTLY = "🌱😀é<🤝&>ç🎉 "
# 254 characters, the longest address the email check accepts (local part 64, labels 63).
LONGEST_EMAIL = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 58 + ".fr"
# Associations need skills and offer time and audiences; companies the other way round, so
# every pair is a two-way match quoting everyone's longest words.
SKILLS = ("web", "it", "legal", "accounting", "hr", "comms")
PEOPLE = ("volunteers", "team_building", "workshops", "relay", "audience", "csr_inclusion")
# The French button labels of SKILLS, to pick them in the registration chat.
SKILL_BUTTONS = (
    "Site web",
    "Informatique et logiciels",
    "Juridique",
    "Comptabilité et finance",
    "RH et formation",
    "Communication et marketing",
)


# The French buttons of PEOPLE, family by family.
PEOPLE_BUTTONS = (
    ("🙌", ("Bénévoles", "Journée solidaire", "Ateliers pour salariés")),
    ("📣", ("Relais d'information", "Accès à un public")),
    ("🌱", ("Inclusion et diversité",)),
)


async def publish_schedule(
    organiser: SimUser,
    card: ChatMessage,
    *,
    expect: int = 1,
    timeout: float = 10,  # noqa: ASYNC109
) -> list[ChatMessage]:
    """The organiser publishes the schedule from an event's card: « Publier le programme »,
    then « Oui, envoyer » on the question that says to how many participants it goes.
    Returns what the bot showed after the yes (at least `expect` messages)."""
    confirm = (await organiser.press("Publier le programme", message=card, timeout=timeout))[-1]
    return await organiser.press("Oui, envoyer", message=confirm, expect=expect, timeout=timeout)


def longest_text(length: int, label: str = "") -> str:
    """Exactly `length` characters as the forms count them (`label` first, to tell entries
    apart), the rest emoji, accented letters and <&>."""
    filler = _COSTLY * (length // len(_COSTLY) + 1)
    text = f"{label} {filler}"[:length] if label else filler[:length]
    return text[:-1] + "é" if text.endswith(" ") else text


def longest_profile(owner: int, kind: OrgKind, label: str) -> ProfileData:
    """A profile with every field at the longest the registration accepts (core/validation.py):
    name, description, place, six needs and six offers each in the longest own words, contact,
    email."""
    needs, offers = (SKILLS, PEOPLE) if kind is OrgKind.ASSOCIATION else (PEOPLE, SKILLS)

    def items(categories: tuple[str, ...], side: str) -> tuple[Item, ...]:
        return tuple(Item(c, longest_text(MAX_DETAIL, f"{label} {side} {c}")) for c in categories)

    return ProfileData(
        kind=kind,
        name=longest_text(MAX_NAME, label),
        description=longest_text(MAX_DESCRIPTION, label),
        location=Location(longest_text(MAX_LOCATION, "Strasbourg")),
        needs=items(needs, "need"),
        offers=items(offers, "offer"),
        contact=Contact(longest_text(MAX_CONTACT, label), LONGEST_EMAIL, "+33 6 12 34 56 78"),
        language="fr",
        owner_user_id=owner,
        owner_username=None,
    )


async def register_longest(user: SimUser, label: str) -> list[ChatMessage]:
    """A French registration as an association with every answer at its longest: six needs
    and six offers picked, each with the longest own words. Returns what showed the summary."""
    await user.send("/start")
    await user.press(FR["lang"])
    await user.press(FR["association"])
    await user.send(longest_text(MAX_NAME, label))
    await user.send(longest_text(MAX_DESCRIPTION, label))
    await user.send(longest_text(MAX_LOCATION, "Strasbourg"))
    await user.press("🧠")
    for category in SKILL_BUTTONS:
        await user.press(category)
    await user.press(FR["families"])
    await user.press(FR["done"])
    for category in SKILLS:
        await user.send(longest_text(MAX_DETAIL, f"{label} need {category}"))
    for family, buttons in PEOPLE_BUTTONS:
        await user.press(family)
        for category in buttons:
            await user.press(category)
        await user.press(FR["families"])
    await user.press(FR["done"])
    for category in PEOPLE:
        await user.send(longest_text(MAX_DETAIL, f"{label} offer {category}"))
    await user.send(longest_text(MAX_CONTACT, label))
    await user.send(LONGEST_EMAIL)
    await user.send("+33 6 12 34 56 78")
    return await user.press(FR["agree"])
