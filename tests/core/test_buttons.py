"""The button codec (core/buttons.py): what a button carries comes back as it was sent."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Literal

import pytest

from core.buttons import Callback


class Answer(enum.StrEnum):
    MET = "met"
    LATER = "later"


@dataclass(frozen=True, slots=True)
class Nudge(Callback, prefix="nd"):
    nudge: int
    answer: Answer


@dataclass(frozen=True, slots=True)
class Page(Callback, prefix="m:more"):
    after: int | None = None


@dataclass(frozen=True, slots=True)
class Export(Callback, prefix="ex"):
    what: Literal["x", "c"]
    period: str


def test_data_round_trips_through_the_pattern() -> None:
    button = Nudge(4, Answer.MET)
    assert button.data == "nd:4:met"
    assert re.fullmatch(Nudge.pattern(), button.data)
    assert Nudge.parse(button.data) == button
    assert Export.parse(Export("c", "y2025").data) == Export("c", "y2025")


def test_an_optional_last_field_is_left_out_when_empty() -> None:
    assert Page().data == "m:more"
    assert Page(30).data == "m:more:30"
    assert Page.parse("m:more") == Page(None)
    assert Page.parse("m:more:30") == Page(30)


@pytest.mark.parametrize(
    "data",
    ["nd:x:met", "nd:4:maybe", "nd:4", "nd:4:met:1", "nd:³:met", "", "xnd:4:met", None],
)
def test_stale_or_forged_data_parses_as_nothing(data: str | None) -> None:
    assert Nudge.parse(data) is None


def test_a_value_that_would_break_the_data_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be"):
        _ = Export("x", "a:b").data
    with pytest.raises(ValueError, match="not a valid Export"):
        _ = Export("x", "y" * 70).data
