"""Renders profiles and selections as Telegram HTML, every user-supplied part escaped."""

from __future__ import annotations

from core.delivery import Button, Buttons
from core.i18n import Html, Translator, escape
from core.models import Direction, Draft, Item, Organisation, OrgKind
from core.taxonomy import Taxonomy
from handlers.buttons import Report
from handlers.match_buttons import RequestAnswer

# How much of each side's own words a reason quotes (UTF-16 units). A card quotes up to four
# reasons beside a 500-character description, and is itself quoted by a request: at 120 the
# longest profiles still leave it far under Telegram's 4096. Lists quote less.
WORDS_IN_CARD = 120
WORDS_IN_LIST = 60
# A name in a list (wishes, agenda lines, the organisers' stuck pairs).
NAME_IN_LIST = 60


def item_line(item: Item, lang: str, t: Translator, taxonomy: Taxonomy) -> Html:
    """One need or offer: its category and the person's own words, quoted as in `lang`."""
    if item.words_only:
        return t(lang, "profile.item_words", words=item.detail)
    label = taxonomy.category(item.category).label(lang)
    if item.detail:
        return t(lang, "profile.item_detail", label=label, words=item.detail)
    return t(lang, "profile.item", label=label)


def items_block(
    items: list[Item] | tuple[Item, ...], lang: str, t: Translator, tx: Taxonomy
) -> Html:
    if not items:
        return t(lang, "profile.none")
    return Html("\n".join(item_line(i, lang, t, tx) for i in items))


def kind_label(kind: OrgKind | None, lang: str, t: Translator) -> Html:
    return t(lang, f"kind.{kind.value}") if kind else t(lang, "profile.none")


def profile_card(draft: Draft, lang: str, t: Translator, tx: Taxonomy) -> Html:
    """The whole profile as the user will confirm it (or see it in /profile)."""
    none = t(lang, "profile.none")
    if draft.location is None:
        where: Html = none
    elif draft.location.remote:
        where = t(lang, "profile.remote")
    else:
        where = escape(draft.location.text)
    return t(
        lang,
        "profile.card",
        kind=kind_label(draft.kind, lang, t),
        name=draft.name or none,
        description=draft.description or none,
        location=where,
        needs=items_block(draft.needs, lang, t, tx),
        offers=items_block(draft.offers, lang, t, tx),
        contact=draft.contact_name or none,
        email=draft.email or none,
        phone=draft.phone or none,
    )


def organisation_card(org: Organisation, lang: str, t: Translator, tx: Taxonomy) -> Html:
    return profile_card(Draft.from_organisation(org, lang), lang, t, tx)


def selection_block(
    draft: Draft, direction: Direction, lang: str, t: Translator, tx: Taxonomy
) -> Html:
    items = draft.items(direction)
    if not items:
        return t(lang, "pick.nothing_yet")
    return items_block(items, lang, t, tx)


def request_buttons(svc_t: Translator, lang: str, interest_id: int) -> Buttons:
    """Accept / decline under an interest request (the request itself, and its reminder)."""
    return (
        (
            Button(svc_t.plain(lang, "request.accept"), RequestAnswer("a", interest_id).data),
            Button(svc_t.plain(lang, "request.decline"), RequestAnswer("d", interest_id).data),
        ),
        # "Signaler" the sender (handlers/moderation.py).
        (Button(svc_t.plain(lang, "report.button"), Report("q", interest_id).data),),
    )
