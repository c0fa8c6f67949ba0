"""The registration's steps: ONE table (`TABLE`), and the words typed that press a button.

What follows each step, where « back » leads, what a step takes (buttons, text, a shared
contact), whether it can be skipped, its length limit and the draft field it fills are read
from `TABLE` by everything else: the wiring (registration.build), the questions and their
back/skip buttons (registration_ask), the answers (registration_answers), the summary's edit
buttons (`EDITABLE`) and the diagram (registration.mmd is `diagram()`, checked by a test).

Adding a step: a line in `TABLE`, its question `reg.<step>` in the locale files, and a
handler only if its answer needs more than `StepSpec.clean`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from core.models import Direction, Draft, Location, OrgKind
from core.text import normalise
from core.validation import (
    MAX_CONTACT,
    MAX_DESCRIPTION,
    MAX_DETAIL,
    MAX_LOCATION,
    MAX_NAME,
    InvalidInput,
    clean_email,
    clean_person_name,
    clean_text,
)
from handlers.form import Arrow, FormStore, Input, StepSpec, StepTable, mermaid
from handlers.registration_buttons import Agree, CancelAnswer, Confirm, Done, Kind


class Step(StrEnum):
    LANGUAGE = "language"
    KIND = "kind"
    NAME = "name"
    DESCRIPTION = "description"
    LOCATION = "location"
    NEEDS = "needs"
    NEED_GUESS = "need_guess"
    NEED_DETAILS = "need_details"
    OFFERS = "offers"
    OFFER_GUESS = "offer_guess"
    OFFER_DETAILS = "offer_details"
    CONTACT = "contact"
    EMAIL = "email"
    PHONE = "phone"
    CONSENT = "consent"
    SUMMARY = "summary"
    CANCEL = "cancel"


def _location(text: str) -> Location:
    """A place typed in words or digits (« 🎸🎸🎸 » is none)."""
    cleaned = clean_text(text, max_length=MAX_LOCATION)
    if not normalise(cleaned):
        raise InvalidInput("error.no_place")
    return Location(text=cleaned)


def _picking(
    step: Step, guess: Step, details: Step, *, then: Step, back: Step, side: str
) -> dict[Step, StepSpec[Step]]:
    """Needs and offers are picked the same way: families and ticks, typed words, guesses."""
    return {
        step: StepSpec(
            then,
            back=back,
            max_len=MAX_DETAIL,
            field=step.value,
            says="done",
            also=(
                Arrow(
                    step.name,
                    "family, tick / untick: words kept, ✍️ 🏷️ file: next tick gets them, "
                    "typed words clearly in one category",
                ),
                Arrow(guess.name, f"typed words unsure, or several {side} in one sentence"),
                Arrow(details.name, "done, some without words"),
            ),
        ),
        guess: StepSpec(
            step,
            back=step,
            max_len=MAX_DETAIL,
            says="category / keep my words only / 🗑️ drop it, last one",
            also=(
                Arrow(
                    guess.name,
                    "did you mean…: a category / keep my words only / 🗑️ drop it, more to ask",
                ),
                Arrow(step.name, "another category: the next tick gets the words"),
            ),
        ),
        details: StepSpec(
            then,
            back=step,
            optional=True,
            max_len=MAX_DETAIL,
            says="last one",
            also=(Arrow(details.name, "text / skip, more to ask"),),
        ),
    }


TABLE: StepTable[Step] = {
    Step.LANGUAGE: StepSpec(Step.KIND, input=Input.BUTTONS, says="fr / en"),
    Step.KIND: StepSpec(
        Step.NAME,
        back=Step.LANGUAGE,
        input=Input.BUTTONS,
        field="kind",
        says="association / company",
    ),
    Step.NAME: StepSpec(
        Step.DESCRIPTION, back=Step.KIND, max_len=MAX_NAME, field="name", says="text"
    ),
    Step.DESCRIPTION: StepSpec(
        Step.LOCATION,
        back=Step.NAME,
        max_len=MAX_DESCRIPTION,
        min_len=3,
        field="description",
        says="text",
    ),
    Step.LOCATION: StepSpec(
        Step.NEEDS,
        back=Step.DESCRIPTION,
        max_len=MAX_LOCATION,
        field="location",
        clean=_location,
        says="city, postcode, region / 🌍 remote",
    ),
    **_picking(
        Step.NEEDS,
        Step.NEED_GUESS,
        Step.NEED_DETAILS,
        then=Step.OFFERS,
        back=Step.LOCATION,
        side="needs",
    ),
    **_picking(
        Step.OFFERS,
        Step.OFFER_GUESS,
        Step.OFFER_DETAILS,
        then=Step.CONTACT,
        back=Step.NEEDS,
        side="offers",
    ),
    Step.CONTACT: StepSpec(
        Step.EMAIL,
        back=Step.OFFERS,
        max_len=MAX_CONTACT,
        field="contact_name",
        clean=clean_person_name,
        says="a name (letters, not an e-mail or phone)",
    ),
    Step.EMAIL: StepSpec(
        Step.PHONE,
        back=Step.CONTACT,
        optional=True,
        field="email",
        clean=clean_email,
        says="valid email / skip",
    ),
    Step.PHONE: StepSpec(
        Step.CONSENT,
        back=Step.EMAIL,
        input=Input.CONTACT,
        optional=True,
        field="phone",
        says="valid phone, typed or 📱 shared / skip",
    ),
    Step.CONSENT: StepSpec(
        Step.SUMMARY, back=Step.PHONE, input=Input.BUTTONS, says="I agree / oui"
    ),
    Step.SUMMARY: StepSpec(
        None,
        input=Input.BUTTONS,
        also=(
            Arrow("FIELD", "✏️ field"),
            Arrow("END", "confirm / save: profile committed, then told"),
            Arrow("END", "discard edit"),
        ),
    ),
    Step.CANCEL: StepSpec(
        None,
        input=Input.BUTTONS,
        also=(Arrow("END", "🗑️ Tout abandonner / oui"), Arrow("ASKED", "↩️ Continuer / non")),
    ),
}

COMMENTS = (
    "The registration conversation (handlers/registration*.py), drawn from its step table",
    "(registration_steps.TABLE): regenerate with `python -m handlers.registration_steps`.",
    "Every arrow saves the draft and the step in SQLite before the next question is sent.",
    "Not drawn, available at every step (fallbacks): /start, /help, /language, other commands,",
    "stickers/photos and buttons from earlier steps answer, then ask again. At a button step,",
    "typed text that matches a button (or oui/non, association/entreprise) counts as pressing",
    "it (« fini », « skip »… for ✅ Done, « valider », « ok »… for ✅ confirm). A too-long",
    "answer is offered « ✂️ keep the first N characters ». Back from a guess keeps the words. At a",
    "guess, « oui » taps the likeliest category, other words typed wait behind the ones asked",
    "about, « non » drops them, « fini » asks again, and ✅ Done on the list above keeps the",
    "words asked about. At the list, « oui », « valider »… press ✅ Done. An e-mail, a phone",
    "number or only a name typed for a need or an offer is refused: contact details come later.",
)
ENTRIES = (
    "START((/start)) -->|new user| LANGUAGE",
    "START -->|already registered| WELCOME[welcome back] --> END((end))",
    "PROFILE((/profile ✏️ field)) -->|edit mode| FIELD{{the chosen step}}",
    "FIELD --> SUMMARY",
    "ASKED{{any step, answers given}} -->|/cancel| CANCEL",
)


def diagram() -> str:
    """The table as the Mermaid flowchart kept in registration.mmd."""
    return mermaid(TABLE, comments=COMMENTS, entries=ENTRIES)


PICKING = {Step.NEEDS: Direction.NEED, Step.OFFERS: Direction.OFFER}
# "Did you mean…?": typed words the bot is not sure about, or one of several needs in a sentence.
GUESSING = {Step.NEED_GUESS: Direction.NEED, Step.OFFER_GUESS: Direction.OFFER}
PICK_STEP = {Direction.NEED: Step.NEEDS, Direction.OFFER: Step.OFFERS}
GUESS_STEP = {Direction.NEED: Step.NEED_GUESS, Direction.OFFER: Step.OFFER_GUESS}
DETAILS = {Step.NEED_DETAILS: Direction.NEED, Step.OFFER_DETAILS: Direction.OFFER}
DETAIL_STEP = {Direction.NEED: Step.NEED_DETAILS, Direction.OFFER: Step.OFFER_DETAILS}
# The summary's edit buttons (and /profile's): every step that fills a field of the profile.
EDITABLE: dict[str, Step] = {step.value: step for step, spec in TABLE.items() if spec.field}


def last_channel(step: Step, draft: Draft) -> bool:
    """Skipping this answer would leave no way to reach the organisation: an introduction
    would then be a dead end ("not given / not given")."""
    if step is Step.PHONE:
        return not draft.email
    # The e-mail is asked before the phone: skipping it is fine unless the phone is known
    # to be missing (when correcting the e-mail from the summary).
    return step is Step.EMAIL and draft.editing and not draft.phone


def opening(draft: Draft) -> bool:
    """The kind is the first question (its language chosen for the person), not answered yet."""
    return draft.mode == "register" and draft.kind is None and not draft.editing


def takes_text(step: Step) -> bool:
    """The step waits for typed words (not only buttons)."""
    return TABLE[step].input is not Input.BUTTONS


# Typed words that press a button too (besides its label, in any case, accents or emoji).
YES = ("oui", "yes", "ok", "okay", "d'accord", "j'accepte", "i agree", "agree")
NO = ("non", "no")
# ✅ Done (Terminé) typed on a phone: at the picking steps these close the list, at a guess
# question they settle nothing (registration_pick.typed_item); never a need or an offer.
DONE = ("terminé", "done", "fini", "finished", "passer", "skip", "c'est tout", "that's all",
        "that's it", "next", "suivant", "rien d'autre", "nothing else", "c bon", "ok c bon",
        "ok c'est bon", "c'est fini", "ok fini", "all done", "ok done")  # fmt: skip
# The summary's ✅ confirm (or 💾 save when editing).
CONFIRM = ("valider", "confirmer", "confirm", "c'est bon", "enregistrer", "save", *YES)
SYNONYMS: dict[str, tuple[str, ...]] = {
    Kind(OrgKind.ASSOCIATION).data: ("asso", "association", "une association"),
    Kind(OrgKind.COMPANY).data: ("entreprise", "company", "societe", "business", "une entreprise"),
    Agree().data: YES,
    Done().data: DONE,
    Confirm().data: CONFIRM,
    CancelAnswer("yes").data: YES,
    CancelAnswer("no").data: NO,
}


def _upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """Drafts stored before the TypeAdapter kept items and pending words as pairs:
    `["web", "site"]` and `["words", ["web"]]`."""
    pairs = {"needs": ("category", "detail"), "offers": ("category", "detail")}
    for key, (first, second) in {**pairs, "pending": ("words", "candidates")}.items():
        data[key] = [
            dict(zip((first, second), value, strict=True)) if isinstance(value, list) else value
            for value in data.get(key) or []
        ]
    return data


# Where a registration in progress is kept: its step and draft, written before each question.
STORE = FormStore("registration", Step, Draft, upgrade=_upgrade)


if __name__ == "__main__":
    print(diagram(), end="")
