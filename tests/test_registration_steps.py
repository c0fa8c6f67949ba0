"""The registration's step table: its diagram, what derives from it, and drafts stored by
older versions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from core.models import Item
from handlers.form import backs, says_label, text_steps, trim
from handlers.registration_steps import (
    EDITABLE,
    TABLE,
    Step,
    diagram,
)
from sandbox.standin import BotApiStandIn
from storage import conversations, organisations
from storage.db import Database
from tests.harness import bot_running

DIAGRAM = Path(__file__).parent.parent / "handlers" / "registration.mmd"


def test_the_diagram_is_the_table_drawn() -> None:
    """handlers/registration.mmd is exactly what the step table draws: it cannot drift.
    (Regenerate it with `python -m handlers.registration_steps > handlers/registration.mmd`.)"""
    assert DIAGRAM.read_text(encoding="utf-8") == diagram()


def test_every_step_leads_somewhere_the_table_knows() -> None:
    """Every next and back of the table is one of its steps; only the summary and the cancel
    question end the conversation."""
    for step, spec in TABLE.items():
        assert spec.next is None or spec.next in TABLE
        assert spec.back is None or spec.back in TABLE
        assert (spec.next is None) == (step in {Step.SUMMARY, Step.CANCEL})
    assert set(TABLE) == set(Step)
    assert backs(TABLE)[Step.PHONE] is Step.EMAIL
    assert Step.NAME in text_steps(TABLE)
    assert Step.KIND not in text_steps(TABLE)
    assert list(EDITABLE) == [
        "kind", "name", "description", "location", "needs", "offers", "contact", "email",
        "phone",
    ]  # fmt: skip


def test_a_too_long_answer_is_cut_at_a_word_and_never_inside_an_emoji() -> None:
    """The kept start is within the limit, ends at a space when one is near, and keeps whole
    emoji (a skin tone or a joined family is not cut in two)."""
    assert trim("court", 10) == "court"
    assert trim("un site internet pour nos bénévoles", 20) == "un site internet"
    assert trim("x" * 30, 12) == "x" * 12
    waving = "👋🏽"  # the hand and its skin tone: one emoji, two code points
    cut = trim("a" * 9 + waving + "b", 10)
    assert cut == "a" * 9
    family = "👩\u200d👩\u200d👧"
    assert trim("a" * 8 + family, 10) == "a" * 8
    assert all(len(trim(f"{family} " * 5, n)) <= n for n in range(1, 25))


def test_typed_words_count_as_a_button_whatever_the_case_accents_or_emoji() -> None:
    assert says_label("association", "🤲 Association")
    assert says_label("ENTREPRISE", "🏢 Entreprise")
    assert says_label("j'accepte", "✅ J'accepte")
    assert says_label("Oui !", "✅ J'accepte", ("oui",))
    assert not says_label("assoc", "🤲 Association")
    assert not says_label("🤲", "🤲 Association"), "an emoji alone says nothing"


async def test_a_draft_stored_by_the_previous_version_goes_on(
    standin: BotApiStandIn, db_path: Path
) -> None:
    """A registration half-way when the bot was updated: its draft, stored in the old JSON
    shape (items and pending words as pairs), is read, and the person finishes it."""
    old_shape: dict[str, object] = {
        "language": "fr", "mode": "register", "org_id": None, "kind": "association",
        "name": "Les Tournesols", "description": "Épicerie solidaire",
        "location": {"text": "Metz", "remote": False},
        "needs": [["web", "un site"], ["", "des bras"]], "offers": [["volunteers", ""]],
        "contact_name": None, "email": None, "phone": None, "consented": False,
        "family": None, "detail_cursor": 0, "editing": False, "payload": "evt_1",
        "pending": [],
    }  # fmt: skip
    db = await Database.open(db_path)
    await conversations.save_data(
        db, "registration", chat_id=3001, user_id=3001, state="contact", data=old_shape,
        now=datetime.now(UTC),
    )  # fmt: skip
    await db.close()
    jeanne = standin.user(3001, "Jeanne")
    async with bot_running(standin, db_path) as (_, bot):
        shown = await jeanne.send("Jeanne Martin")
        assert "adresse e-mail" in shown[-1].text
        await jeanne.send("jeanne@tournesols.example")
        await jeanne.send("Passer")
        shown = await jeanne.press("J'accepte")
        assert "un site" in shown[-1].text
        await jeanne.press("Valider", expect=2)
        org = await organisations.get_by_owner(bot, 3001)
    assert org is not None
    assert org.needs == (Item("web", "un site"), Item("", "des bras"))
    assert org.source_payload == "evt_1"
