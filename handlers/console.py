"""What the organisers' console commands share: who may use them, numbers and plurals in the
reader's language, and the audit log.

Every console command and button asks `organiser()` first, every time: a forged or forwarded
button pressed by anyone else gets a clear refusal and changes nothing.
"""

from __future__ import annotations

from telegram import Update

from core.i18n import Html
from handlers.context import Context, Services, answer_query, language_of, reply
from storage import moderation


async def organiser(update: Update, ctx: Context) -> tuple[Services, str, int] | None:
    """The services, the organiser's language and user id; None (after a refusal) for anyone
    else. Remembers the organiser's name for "created by" and the audit log."""
    svc = ctx.services
    lang = await language_of(update, ctx)
    user = update.effective_user
    if user is None or user.id not in svc.organiser_ids:
        if update.callback_query is not None:
            await answer_query(update, svc.t.plain(lang, "organiser.only"), alert=True)
        else:
            await reply(update, svc.t(lang, "organiser.only"))
        return None
    await moderation.remember_organiser(svc.db, user.id, user.full_name, svc.clock())
    return svc, lang, user.id


async def not_organiser(update: Update, ctx: Context) -> None:
    """An organiser's command typed by anyone else: a polite refusal, nothing more."""
    lang = await language_of(update, ctx)
    await reply(update, ctx.services.t(lang, "organiser.only"))


async def audit(
    svc: Services, actor: int, action: str, *, target: str = "", detail: str = ""
) -> None:
    """An organiser action that changes nothing else (viewing, exporting) goes to the log."""
    await moderation.audit(svc.db, actor, action, svc.clock(), target=target, detail=detail)


def number(value: float, lang: str, *, decimals: int = 0) -> str:
    """12 500 in French (narrow no-break space), 12,500 in English; decimals as each writes
    them."""
    text = f"{value:,.{decimals}f}"
    if lang == "fr":
        return text.replace(",", "\u202f").replace(".", ",")
    return text


def percent(ratio: float, lang: str) -> str:
    return f"{number(ratio * 100, lang)}\u202f%" if lang == "fr" else f"{ratio * 100:.0f}%"


def counted(svc: Services, lang: str, key: str, count: int, **params: object) -> Html:
    """`key.one` or `key.other`, whichever the language uses for `count` (French says
    "0 partenariat", English "0 partnerships"), with `count` written as a number."""
    singular = count in (0, 1) if lang == "fr" else count == 1
    form = "one" if singular else "other"
    return svc.t(lang, f"{key}.{form}", count=number(count, lang), **params)


def plain_label(label: str) -> str:
    """A locale label without its leading emoji (charts draw in DejaVu Sans, which has none)."""
    start = next((i for i, char in enumerate(label) if char.isalnum()), len(label))
    return label[start:].strip()
