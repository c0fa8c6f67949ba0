"""A partnership record's terms: who gives what to whom (pure, no I/O).

One side writes the terms from its own point of view (`Giver.PROPOSER`: « we give »); the
other side reads them flipped (`Terms.flipped`), confirms them or corrects them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class Giver(StrEnum):
    """Who gives, seen from the side writing the record."""

    PROPOSER = "proposer"  # we give to them
    OTHER = "other"  # they give to us
    BOTH = "both"

    @property
    def flipped(self) -> Giver:
        """The same giver seen from the other side."""
        if self is Giver.PROPOSER:
            return Giver.OTHER
        if self is Giver.OTHER:
            return Giver.PROPOSER
        return self


class Kind(StrEnum):
    """The kinds of partnership (those of the exchange events' paper match form)."""

    SKILLS = "skills"
    GOODS = "goods"
    MONEY = "money"
    RESPONSIBLE = "responsible"
    COOPERATION = "cooperation"
    INNOVATION = "innovation"


@dataclass(frozen=True, slots=True)
class Terms:
    """What a record states, from the point of view of the side that wrote it."""

    giver: Giver
    kind: Kind
    description: str
    hours: float | None = None
    value_eur: float | None = None

    @property
    def flipped(self) -> Terms:
        """The same terms as the other side reads them."""
        return replace(self, giver=self.giver.flipped)
