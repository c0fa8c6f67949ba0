"""Moderation: anyone reports an organisation from its card ("Signaler"), for example for a
sales pitch or a request for money (the speed meetings' two rules); organisers see the reports
(/reports), view any profile (/org), pause or remove an organisation (the owner is told why)
and restore it; /audit shows every organiser action (who, what, when).

The report's reasons replace the card's buttons in place, so the report keeps the text the
reporter saw; the card's buttons come back afterwards.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from core.buttons import Callback
from core.delivery import Buttons, OutMessage
from core.i18n import Html
from core.models import Organisation
from core.text import shorten
from handlers.buttons import Report, ReportReason
from handlers.cards import match_buttons, to_org
from handlers.console import audit, organiser
from handlers.console_buttons import (
    HOLD_REASONS,
    MODERATION,
    AskHold,
    AuditOlder,
    CloseReport,
    Hold,
    RestoreOrg,
    ViewOrg,
)
from handlers.context import (
    Context,
    Services,
    answer_query,
    edit_or_reply,
    keyboard,
    reply,
    whoami,
)
from handlers.render import organisation_card, request_buttons
from storage import introductions, moderation, organisations

REPORT_REASONS = ("pitch", "money", "conduct", "other")
# What an organiser does to an organisation (stored as the hold's action), and undoes.
HOLD_ACTIONS = ("paused", "removed")
RESTORED = "restored"
REPORTS_SHOWN = 10
AUDIT_PAGE = 30


# --- reporting (anyone) ---------------------------------------------------------------------


async def _reported(
    svc: Services, me: Organisation, pressed: Report | ReportReason | None
) -> Organisation | None:
    """The organisation a report button is about: a card's (rp:o:<id>), or a request's sender
    (rp:q:<request id>, only for its recipient)."""
    if pressed is None:
        return None
    if pressed.source == "q":
        interest = await introductions.get(svc.db, pressed.number)
        if interest is None or interest.to_id != me.id:
            return None
        return await organisations.get(svc.db, interest.from_id)
    found = await organisations.get(svc.db, pressed.number)
    return found if found is not None and found.id != me.id else None


def _card_buttons(svc: Services, lang: str, source: str, number: int) -> Buttons:
    """The buttons the card had before its report buttons."""
    if source == "q":
        return request_buttons(svc.t, lang, number)
    return match_buttons(svc, lang, number)


async def report_button(update: Update, ctx: Context) -> None:
    """⚠️ on a card: the reasons take the place of the card's buttons."""
    svc, lang, me = await whoami(update, ctx)
    pressed = Report.parse(update.callback_query.data if update.callback_query else None)
    target = await _reported(svc, me, pressed) if me is not None else None
    if me is None or target is None or pressed is None:
        await answer_query(update, svc.t.plain(lang, "button.expired"), alert=True)
        return
    source, number = pressed.source, pressed.number
    rows = [
        [
            InlineKeyboardButton(
                svc.t.plain(lang, f"report.reason_{reason}"),
                callback_data=ReportReason(source, number, reason).data,
            )
        ]
        for reason in REPORT_REASONS
    ]
    rows.append(
        [
            InlineKeyboardButton(
                svc.t.plain(lang, "record.cancel"),
                callback_data=ReportReason(source, number, "no").data,
            )
        ]
    )
    await _set_buttons(update, InlineKeyboardMarkup(rows))
    await answer_query(update)


async def _set_buttons(update: Update, markup: InlineKeyboardMarkup | None) -> None:
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        await query.edit_message_reply_markup(markup)


async def report_reason(update: Update, ctx: Context) -> None:
    """A reason: the report is stored with the text the reporter saw, the organisers are told;
    the card gets its buttons back. Cancel only gives them back."""
    svc, lang, me = await whoami(update, ctx)
    pressed = ReportReason.parse(update.callback_query.data if update.callback_query else None)
    target = await _reported(svc, me, pressed) if me is not None else None
    if me is None or target is None or pressed is None:
        await answer_query(update, svc.t.plain(lang, "button.expired"), alert=True)
        return
    reason = pressed.reason
    if reason not in (*REPORT_REASONS, "no"):
        await answer_query(update, svc.t.plain(lang, "button.expired"), alert=True)
        return
    await _set_buttons(update, keyboard(_card_buttons(svc, lang, pressed.source, pressed.number)))
    if reason == "no":
        await answer_query(update)
        return
    message = update.callback_query.message if update.callback_query else None
    seen = message.text or message.caption or "" if isinstance(message, Message) else ""
    assert update.effective_user is not None
    notices = [
        OutMessage(
            chat_id=organiser_id,
            kind="report.notice",
            text=svc.t(
                svc.default_language,
                "report.notice",
                reporter=me.name,
                name=target.name,
                reason=svc.t.plain(svc.default_language, f"report.reason_{reason}"),
            ),
        )
        for organiser_id in sorted(svc.organiser_ids)
    ]
    stored = await moderation.report(
        svc.db, update.effective_user.id, target.id, reason=reason, seen_text=seen,
        now=svc.clock(), announce=notices,
    )  # fmt: skip
    if stored:
        svc.wake()
    key = "report.thanks" if stored else "report.already"
    await answer_query(update, svc.t.plain(lang, key, name=target.name), alert=True)


# --- organisers: reports, profiles, pause / remove / restore --------------------------------


async def reports_command(update: Update, ctx: Context) -> None:
    """/reports: the open reports, oldest first, each with what can be done."""
    gate = await organiser(update, ctx)
    if gate is None:
        return
    svc, lang, _ = gate
    found, total = await moderation.open_reports(svc.db, REPORTS_SHOWN)
    if not found:
        await reply(update, svc.t(lang, "report.none"))
        return
    await reply(update, svc.t(lang, "report.header", count=total))
    for item in found:
        text = svc.t(
            lang,
            "report.item",
            id=item.id,
            name=item.organisation_name,
            reporter=item.reporter_name or svc.t.plain(lang, "report.someone"),
            reason=svc.t.plain(lang, f"report.reason_{item.reason}"),
            day=item.created_at.astimezone(svc.policy.zone).strftime("%d/%m/%Y %H:%M"),
            seen=shorten(item.seen_text, 600) or "—",
        )
        rows = [
            [
                _button(svc, lang, "moderation.b_view", ViewOrg(item.organisation_id)),
                _button(svc, lang, "moderation.b_close", CloseReport(item.id)),
            ]
        ]
        await reply(update, text, InlineKeyboardMarkup(rows))


def _button(svc: Services, lang: str, key: str, pressed: Callback) -> InlineKeyboardButton:
    return InlineKeyboardButton(svc.t.plain(lang, key), callback_data=pressed.data)


async def org_command(update: Update, ctx: Context) -> None:
    """/org <name or number>: any organisation's profile, or the ones whose name matches."""
    gate = await organiser(update, ctx)
    if gate is None:
        return
    svc, lang, actor = gate
    words = " ".join(ctx.args or []).strip()
    if not words:
        await reply(update, svc.t(lang, "moderation.org_usage"))
        return
    found = await organisations.get_many(svc.db, await moderation.find_organisations(svc.db, words))
    if not found:
        await reply(update, svc.t(lang, "moderation.org_none", words=words))
        return
    if len(found) == 1:
        await _show_profile(update, svc, lang, actor, found[0])
        return
    rows = [
        [
            InlineKeyboardButton(
                f"{shorten(org.name, 40)} · {svc.t.plain(lang, f'kind.{org.kind.value}')}",
                callback_data=ViewOrg(org.id).data,
            )
        ]
        for org in found
    ]
    await reply(update, svc.t(lang, "moderation.org_several"), InlineKeyboardMarkup(rows))


async def _show_profile(
    update: Update, svc: Services, lang: str, actor: int, org: Organisation
) -> None:
    """The whole profile (contact details included: organisers run the network), its state
    and the moderation buttons; the viewing is audited."""
    held = await moderation.hold_of(svc.db, org.id)
    if held is None:
        state = svc.t(lang, f"status.{org.status.value}")
        rows = [
            [
                _button(svc, lang, "moderation.b_pause", AskHold("p", org.id)),
                _button(svc, lang, "moderation.b_remove", AskHold("r", org.id)),
            ]
        ]
    else:
        state = svc.t(
            lang,
            f"moderation.state_{held.action}",
            reason=svc.t.plain(lang, f"moderation.reason_{held.reason}"),
            day=held.created_at.astimezone(svc.policy.zone).strftime("%d/%m/%Y"),
        )
        rows = [[_button(svc, lang, "moderation.b_restore", RestoreOrg(org.id))]]
    card = organisation_card(org, lang, svc.t, svc.taxonomy)
    text = svc.t(lang, "moderation.profile", id=org.id, state=state, card=card)
    await audit(svc, actor, "org.view", target=f"org:{org.id}")
    await reply(update, text, InlineKeyboardMarkup(rows))


async def moderation_button(update: Update, ctx: Context) -> None:
    """View (mo:v), close a report (mo:c), pick a reason (mo:ask:p|r), pause or remove with it
    (mo:p|r:<id>:<reason>), restore (mo:u). Organisers only, checked at every press."""
    gate = await organiser(update, ctx)
    if gate is None:
        return
    svc, lang, actor = gate
    data = update.callback_query.data if update.callback_query else None
    pressed = next((p for kind in MODERATION if (p := kind.parse(data)) is not None), None)
    if isinstance(pressed, CloseReport):
        closed = await moderation.close_report(svc.db, pressed.report, actor, svc.clock())
        await answer_query(update, svc.t.plain(lang, "report.closed" if closed else "report.gone"))
        if closed:
            await edit_or_reply(update, svc.t(lang, "report.closed"))
        return
    org = await organisations.get(svc.db, pressed.org) if pressed is not None else None
    if org is None:
        await answer_query(update, svc.t.plain(lang, "button.expired"), alert=True)
        return
    await answer_query(update)
    if isinstance(pressed, ViewOrg):
        await _show_profile(update, svc, lang, actor, org)
    elif isinstance(pressed, AskHold):
        rows = [
            [_button(svc, lang, f"moderation.reason_{reason}", Hold(pressed.kind, org.id, reason))]
            for reason in HOLD_REASONS
        ]
        key = "moderation.ask_pause" if pressed.kind == "p" else "moderation.ask_remove"
        await reply(update, svc.t(lang, key, name=org.name), InlineKeyboardMarkup(rows))
    elif isinstance(pressed, Hold):
        action = "paused" if pressed.kind == "p" else "removed"
        await _hold(update, svc, lang, actor, org, action=action, reason=pressed.reason)
    else:
        await _restore(update, svc, lang, actor, org)


async def _hold(
    update: Update,
    svc: Services,
    lang: str,
    actor: int,
    org: Organisation,
    *,
    action: str,
    reason: str,
) -> None:
    owner_lang = org.language
    notice = to_org(
        org,
        f"moderation.{action}",
        svc.t(
            owner_lang,
            f"moderation.notice_{action}",
            name=org.name,
            reason=svc.t.plain(owner_lang, f"moderation.reason_{reason}"),
        ),
        bulk=False,
    )
    done = await moderation.hold(
        svc.db, org.id, action=action, reason=reason, actor=actor, now=svc.clock(),
        announce=[notice],
    )  # fmt: skip
    if not done:
        await edit_or_reply(update, svc.t(lang, "button.expired"))
        return
    svc.index.remove(org.id)
    svc.wake()
    await edit_or_reply(update, svc.t(lang, f"moderation.done_{action}", name=org.name))


async def _restore(update: Update, svc: Services, lang: str, actor: int, org: Organisation) -> None:
    notice = to_org(
        org, "moderation.restored", svc.t(org.language, "moderation.notice_restored",
                                          name=org.name), bulk=False,
    )  # fmt: skip
    if not await moderation.restore(svc.db, org.id, actor, svc.clock(), announce=[notice]):
        await edit_or_reply(update, svc.t(lang, "moderation.not_held", name=org.name))
        return
    restored = await organisations.get(svc.db, org.id)
    if restored is not None:
        svc.index.upsert(restored)
    svc.wake()
    await edit_or_reply(update, svc.t(lang, "moderation.done_restored", name=org.name))


# --- the audit log --------------------------------------------------------------------------


async def audit_command(update: Update, ctx: Context) -> None:
    """/audit: the latest organiser actions, newest first, a page at a time."""
    gate = await organiser(update, ctx)
    if gate is None:
        return
    svc, lang, _ = gate
    await _audit_page(update, svc, lang, None)


async def audit_button(update: Update, ctx: Context) -> None:
    """Older entries (au:<before id>)."""
    gate = await organiser(update, ctx)
    if gate is None:
        return
    svc, lang, _ = gate
    pressed = AuditOlder.parse(update.callback_query.data if update.callback_query else None)
    await answer_query(update)
    await _audit_page(update, svc, lang, pressed.before if pressed is not None else None)


async def _audit_page(update: Update, svc: Services, lang: str, before: int | None) -> None:
    entries = await moderation.audit_page(svc.db, before=before, limit=AUDIT_PAGE)
    if not entries:
        await reply(update, svc.t(lang, "audit.none"))
        return
    lines = [
        svc.t(
            lang,
            "audit.line",
            when=e.created_at.astimezone(svc.policy.zone).strftime("%d/%m/%Y %H:%M"),
            who=shorten(e.actor_name or str(e.actor_user_id), 40),
            what=svc.t.plain(lang, f"audit.{e.action.replace('.', '_')}"),
            target=shorten(f" {e.target}" if e.target else "", 60),
            detail=shorten(f" — {e.detail}" if e.detail else "", 80),
        )
        for e in entries
    ]
    markup = None
    if len(entries) == AUDIT_PAGE:
        markup = InlineKeyboardMarkup(
            [[_button(svc, lang, "audit.b_older", AuditOlder(entries[-1].id))]]
        )
    await reply(update, svc.t(lang, "audit.header", lines=Html("\n".join(lines))), markup)
