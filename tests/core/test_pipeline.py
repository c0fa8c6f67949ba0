"""Where a nudge's answer takes a pair (core/pipeline.py): every move is one the pipeline
allows from the stage the question is asked at."""

from __future__ import annotations

import pytest

from core.pipeline import (
    ASKED_AT,
    MOVES,
    SET_ALONE,
    NudgeAnswer,
    NudgeKind,
    Stage,
    can_move,
    moved_by,
)


@pytest.mark.parametrize(("question", "target"), [(k, s) for (k, _), s in MOVES.items()])
def test_every_move_is_allowed_from_where_the_question_is_asked(
    question: NudgeKind, target: Stage
) -> None:
    assert can_move(ASKED_AT[question], target)


def test_later_never_moves_a_pair() -> None:
    assert all(moved_by(kind, NudgeAnswer.LATER) is None for kind in NudgeKind)


def test_agreeing_takes_a_record_not_one_answer() -> None:
    """« Yes, we agreed » moves nothing: only a record the other side confirms does."""
    assert moved_by(NudgeKind.AGREED_CHECK, NudgeAnswer.YES) is None
    assert Stage.AGREED not in MOVES.values()
    assert Stage.AGREED not in SET_ALONE


def test_the_contact_questions_lead_to_contact_or_to_a_dead_end() -> None:
    for kind in (NudgeKind.CONTACT_CHECK, NudgeKind.CONTACT_REMINDER):
        assert moved_by(kind, NudgeAnswer.YES) is Stage.IN_CONTACT
        assert moved_by(kind, NudgeAnswer.NO) is Stage.NO_CONTACT
    assert moved_by(NudgeKind.OUTCOME_CHECK, NudgeAnswer.DONE) is Stage.CARRIED_OUT
