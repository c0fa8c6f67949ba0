"""Domain models: plain dataclasses, no I/O."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class OrgKind(StrEnum):
    ASSOCIATION = "association"
    COMPANY = "company"


class Direction(StrEnum):
    NEED = "need"
    OFFER = "offer"


class OrgStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"


# The category of an item kept in the owner's words only ("keep my words only", or a category
# unticked): it matches by its words alone.
WORDS_ONLY = ""


@dataclass(frozen=True, slots=True)
class Item:
    """One need or one offer: a taxonomy category plus the owner's own words (optional).

    An item in words only has the category `WORDS_ONLY` and always has words.
    """

    category: str
    detail: str = ""

    @property
    def words_only(self) -> bool:
        return self.category == WORDS_ONLY


@dataclass(frozen=True, slots=True)
class Pending:
    """Typed words waiting for the user to confirm a category ("did you mean…?")."""

    words: str
    candidates: tuple[str, ...]  # category ids, most likely first; may be empty
    # Which question this is (`Draft.asked` when it was asked): its buttons carry it, so that
    # a button of an earlier copy of the question never answers the next one.
    number: int = 0


@dataclass(frozen=True, slots=True)
class Location:
    """Where the organisation works: a city, postcode or region, or anywhere (remote)."""

    text: str = ""
    remote: bool = False


@dataclass(frozen=True, slots=True)
class Contact:
    """Who to talk to. Only revealed to a partner once both sides have agreed."""

    name: str
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class Organisation:
    """A confirmed profile, as stored."""

    id: int
    kind: OrgKind
    name: str
    description: str
    location: Location
    needs: tuple[Item, ...]
    offers: tuple[Item, ...]
    contact: Contact
    owner_user_id: int
    owner_username: str | None
    language: str
    status: OrgStatus
    created_at: datetime
    updated_at: datetime
    confirmed_at: datetime
    consented_at: datetime
    source_payload: str | None = None
    # Set when the owner blocked the bot (Telegram answered 403); nothing is sent until then.
    unreachable_since: datetime | None = None

    def items(self, direction: Direction) -> tuple[Item, ...]:
        return self.needs if direction is Direction.NEED else self.offers


@dataclass(frozen=True, slots=True)
class ProfileData:
    """Everything a user states about their organisation, ready to be stored."""

    kind: OrgKind
    name: str
    description: str
    location: Location
    needs: tuple[Item, ...]
    offers: tuple[Item, ...]
    contact: Contact
    language: str
    owner_user_id: int
    owner_username: str | None
    source_payload: str | None = None


@dataclass(slots=True)
class Draft:
    """A registration or an edit in progress: what has been answered so far.

    Stored as JSON after every answer (handlers.form.FormStore, through pydantic), so nothing
    typed is lost if the bot stops.
    """

    language: str
    mode: str = "register"  # "register" or "edit"
    org_id: int | None = None
    kind: OrgKind | None = None
    name: str | None = None
    description: str | None = None
    location: Location | None = None
    needs: list[Item] = field(default_factory=list)
    offers: list[Item] = field(default_factory=list)
    contact_name: str | None = None
    email: str | None = None
    phone: str | None = None
    consented: bool = False
    # Navigation, not data: which family of categories is open, which detail is being asked,
    # and whether a single field is being edited from the summary.
    family: str | None = None
    detail_cursor: int = 0
    editing: bool = False
    payload: str | None = None
    # Typed words the bot was not sure about, first one being asked (kept through a crash).
    pending: list[Pending] = field(default_factory=list)
    # Numbers the questions about typed words, from a random start: a button of an earlier
    # registration's or edit's question never matches one of this draft's.
    asked: int = field(default_factory=lambda: secrets.randbelow(10**9))
    # A too-long answer cut to the limit, offered with "keep the first N characters".
    trimmed: str | None = None
    # While /cancel asks "Tout abandonner ?": the step to come back to with "Continuer".
    resume_at: str | None = None

    def items(self, direction: Direction) -> list[Item]:
        return self.needs if direction is Direction.NEED else self.offers

    @classmethod
    def from_organisation(cls, org: Organisation, language: str) -> Draft:
        """Start an edit from a stored profile."""
        return cls(
            language=language,
            mode="edit",
            org_id=org.id,
            kind=org.kind,
            name=org.name,
            description=org.description,
            location=org.location,
            needs=list(org.needs),
            offers=list(org.offers),
            contact_name=org.contact.name,
            email=org.contact.email,
            phone=org.contact.phone,
            consented=True,
            payload=org.source_payload,
        )

    def to_profile(self, owner_user_id: int, owner_username: str | None) -> ProfileData:
        """The finished profile; raises ValueError if a required answer is missing."""
        if (
            self.kind is None
            or self.name is None
            or self.description is None
            or self.location is None
            or self.contact_name is None
        ):
            raise ValueError("draft is incomplete")
        if not self.consented:
            raise ValueError("consent is required")
        return ProfileData(
            kind=self.kind,
            name=self.name,
            description=self.description,
            location=self.location,
            needs=tuple(self.needs),
            offers=tuple(self.offers),
            contact=Contact(self.contact_name, self.email, self.phone),
            language=self.language,
            owner_user_id=owner_user_id,
            owner_username=owner_username,
            source_payload=self.payload,
        )
