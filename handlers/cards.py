"""Messages that more than one flow sends: match cards, reasons, introductions.

They are built as `OutMessage`s for the outbox, or as HTML and buttons for a direct reply.
Contact details appear in exactly one place: `introduction`, used only once both sides said yes
(an accepted request, or mutual follow-up marks after a speed meeting).
"""

from __future__ import annotations

from core.delivery import Button, Buttons, OutMessage
from core.events import Event
from core.i18n import Html, escape
from core.matching import Candidate, Reason
from core.models import Direction, Item, Organisation
from core.text import shorten
from handlers.buttons import Report
from handlers.context import Services
from handlers.match_buttons import Interested, NotForUs
from handlers.render import WORDS_IN_CARD, WORDS_IN_LIST


def _words(svc: Services, lang: str, item: Item, words: int) -> Html:
    """A side's own words, quoted (cut to `words` UTF-16 units); its category's name in
    italics when it gave no words (nobody typed it: it is not quoted)."""
    if item.detail:
        return svc.t(lang, "match.quoted", words=shorten(item.detail, words))
    return Html(f"<i>{escape(svc.taxonomy.category(item.category).label(lang))}</i>")


def reason_line(svc: Services, lang: str, reason: Reason, *, words: int = WORDS_IN_LIST) -> Html:
    """« Their offer "web design" answers your need "a web site" », in the reader's language;
    each side's words cut to `words` UTF-16 units so that a list of reasons stays readable
    (and within Telegram's limit)."""
    key = "match.reason_need" if reason.direction is Direction.NEED else "match.reason_offer"
    mine, theirs = _words(svc, lang, reason.mine, words), _words(svc, lang, reason.theirs, words)
    line = svc.t(lang, key, mine=mine, theirs=theirs)
    if not reason.words:
        return line
    # The words both sides used, quoted: "why" in their own terms.
    shared = shorten(", ".join(reason.words), words)
    return svc.t(lang, "match.reason_words", reason=line, words=shared)


def match_card(svc: Services, lang: str, other: Organisation, candidate: Candidate) -> Html:
    where = svc.t(lang, "profile.remote") if other.location.remote else escape(other.location.text)
    reasons = "\n".join(
        f"• {reason_line(svc, lang, r, words=WORDS_IN_CARD)}" for r in candidate.reasons[:4]
    )
    extras = []
    if candidate.win_win:
        extras.append(svc.t(lang, "match.win_win"))
    if candidate.same_city:
        extras.append(svc.t(lang, "match.same_city"))
    elif candidate.in_person and candidate.distance_km is not None:
        # Help given in person: how far they are matters.
        extras.append(svc.t(lang, "match.distance", km=round(candidate.distance_km)))
    elif candidate.same_region:
        extras.append(svc.t(lang, "match.same_region"))
    return svc.t(
        lang,
        "match.card",
        name=other.name,
        kind=svc.t(lang, f"kind.{other.kind.value}"),
        location=where,
        description=other.description,
        reasons=Html(reasons),
        # On a line of their own, when there are any (no blank line at the end otherwise).
        extras=Html("\n" + " · ".join(extras) if extras else ""),
    )


def match_buttons(svc: Services, lang: str, other_id: int) -> Buttons:
    return (
        (
            Button(svc.t.plain(lang, "match.interested"), Interested(other_id).data),
            Button(svc.t.plain(lang, "match.not_for_us"), NotForUs(other_id).data),
        ),
        # "Signaler": a sales pitch, a request for money... (handlers/moderation.py).
        (Button(svc.t.plain(lang, "report.button"), Report("o", other_id).data),),
    )


def to_org(
    org: Organisation, kind: str, text: Html, buttons: Buttons = (), *, bulk: bool = True
) -> OutMessage:
    """A message for an organisation's owner."""
    return OutMessage(
        chat_id=org.owner_user_id,
        kind=kind,
        text=text,
        recipient_id=org.id,
        buttons=buttons,
        bulk=bulk,
    )


def introduction(
    svc: Services, reader: Organisation, other: Organisation, *, asked: bool
) -> OutMessage:
    """Both sides said yes: `reader` gets the other's contact details and a first step."""
    lang = reader.language
    none = svc.t(lang, "profile.none")
    text = svc.t(
        lang,
        "intro.done",
        name=other.name,
        contact=other.contact.name,
        email=other.contact.email or none,
        phone=other.contact.phone or none,
        telegram=svc.t(lang, "intro.telegram", username=other.owner_username)
        if other.owner_username
        else "",
        step=svc.t(lang, "intro.step_asker" if asked else "intro.step_accepter", name=other.name),
    )
    return to_org(reader, "introduction", text)


def introductions(svc: Services, one: Organisation, other: Organisation) -> list[OutMessage]:
    """The pair's two introductions: `one` accepted (or marked second), `other` asked."""
    return [
        introduction(svc, one, other, asked=False),
        introduction(svc, other, one, asked=True),
    ]


def live_count(svc: Services, event: Event, count: int) -> OutMessage:
    """For the organiser, when a pair of the event records a partnership: the count so far."""
    lang = svc.default_language
    text = svc.t(lang, "event.live_count", title=event.title, count=count)
    return OutMessage(chat_id=event.organiser_user_id, kind="event.live_count", text=text)
