"""Every handler, registered in one place, in the order python-telegram-bot tries them (first
match wins): the order is the routing. Buttons are registered with their kind's pattern
(core/buttons.py), never a hand-written one."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, TypeHandler, filters

from core import event_buttons
from core.buttons import Callback
from handlers import (
    broadcast,
    commands,
    console,
    event_form,
    event_people,
    events,
    export,
    followup,
    guard,
    hidden,
    matches,
    moderation,
    partnership_list,
    presence,
    record,
    record_confirm,
    registration,
    stats,
)
from handlers.buttons import Report, ReportReason
from handlers.console_buttons import (
    BROADCAST,
    MODERATION,
    AuditOlder,
    ExportAll,
    ExportReport,
    NewsSwitch,
    StatsEvents,
    StatsFilter,
)
from handlers.context import Services
from handlers.errors import on_error
from handlers.match_buttons import (
    HiddenList,
    Interested,
    MoreMatches,
    NotForUs,
    RequestAnswer,
    Restore,
    Unhide,
)
from handlers.pipeline_buttons import NudgeButton, RecordConfirm, StageButton

if TYPE_CHECKING:
    from bot.app import BotApp

# The organisers' commands that other people are refused (/newevent's form refuses them
# itself).
ORGANISER_ONLY = ("pipeline", "events", "stats", "export", "broadcast", "reports", "org", "audit")


def register(app: BotApp, services: Services) -> None:
    """Every handler, area by area, in routing order."""
    private = filters.ChatType.PRIVATE
    # The organisers' commands route by sender; every handler behind them checks again, and
    # so does every console button (a button's data can be forged, a sender cannot).
    organisers = private & filters.User(user_id=services.organiser_ids)

    def press(callback: Callable[..., Any], *kinds: type[Callback]) -> None:
        for kind in kinds:
            app.add_handler(CallbackQueryHandler(callback, pattern=kind.pattern()))

    # 0a. First of all: private chats with a known sender only (a group gets one answer with
    #     a link to the private chat, and nothing of anyone's data).
    app.add_handler(TypeHandler(Update, guard.private_only), group=-2)
    # 0b. Before anything else, on every update: whoever writes can be reached again.
    app.add_handler(TypeHandler(Update, presence.welcome_back), group=-1)

    # 1. The registration conversation first: mid-way, it owns every message and button of
    #    the user (commands included, through its fallbacks; /profile's buttons too).
    app.add_handler(registration.build((commands.Pause, commands.Resume, commands.Delete)))
    # 1b. The partnership record form, the same way (entered from a nudge or /partnerships).
    app.add_handler(record.build())
    # 1c. The organisers' event form (/newevent, ✏️ on an event).
    app.add_handler(event_form.build())
    # 1d. The organisers' news form (/broadcast).
    app.add_handler(broadcast.build(organisers))

    # 2. Commands for registered users and newcomers.
    for name, callback in (
        ("help", commands.help_command),
        ("profile", commands.profile_command),
        ("pause", commands.pause_command),
        ("resume", commands.resume_command),
        ("delete", commands.delete_command),
        ("language", commands.language_command),
        ("mydata", commands.mydata_command),
        ("cancel", commands.nothing_to_cancel),
        ("matches", matches.matches_command),
        ("partnerships", partnership_list.partnerships_command),
        ("wishes", event_people.wishes_command),
        ("news", broadcast.news_command),
    ):
        app.add_handler(CommandHandler(name, callback, filters=private))
    # 2b. The organisers' commands, for the organisers' user ids only.
    for name, callback in (
        ("pipeline", partnership_list.pipeline_command),
        ("events", events.events_command),
        ("stats", stats.stats_command),
        ("export", export.export_command),
        ("reports", moderation.reports_command),
        ("org", moderation.org_command),
        ("audit", moderation.audit_command),
    ):
        app.add_handler(CommandHandler(name, callback, filters=organisers))
    # 2c. Anyone else who types one of them is told politely that it is not for them.
    app.add_handler(CommandHandler(ORGANISER_ONLY, console.not_organiser, filters=private))

    # 3. Buttons outside the conversations: the profile, the language, /delete's answer.
    press(commands.language_answer, commands.ChooseLanguage)
    press(commands.delete_answer, commands.ConfirmDelete)
    press(commands.pause_command, commands.Pause)
    press(commands.resume_command, commands.Resume)
    press(commands.delete_command, commands.Delete)
    # 3a. Matches and requests; « not for us » undone, and the hidden organisations restored
    #     one by one.
    press(matches.interested, Interested)
    press(matches.not_for_us, NotForUs)
    press(matches.more_matches, MoreMatches)
    press(matches.answer_request, RequestAnswer)
    press(hidden.undo, Unhide)
    press(hidden.show_hidden, HiddenList)
    press(hidden.restore, Restore)
    # 3b. The partnership pipeline: nudges, stage moves, confirming the other side's record.
    press(followup.answer_nudge, NudgeButton)
    press(partnership_list.move_from_list, StageButton)
    press(record_confirm.confirm, RecordConfirm)
    # 3c. Speed meetings: the organiser's event buttons, wishes, follow-ups after a meeting.
    press(events.organiser_button, event_buttons.EventAction)
    press(event_people.toggle_wish, event_buttons.WishToggle)
    press(event_people.wishes_page, event_buttons.WishesPage)
    press(event_people.follow_up, event_buttons.MeetingFollowUp)
    # 3d. The console's buttons (organisers only, checked at every press); the broadcast
    #     form's outside their conversation are stale.
    press(stats.stats_button, StatsFilter, StatsEvents)
    press(export.export_button, ExportAll, ExportReport)
    press(broadcast.stray_button, *BROADCAST)
    press(moderation.moderation_button, *MODERATION)
    press(moderation.audit_button, AuditOlder)
    # 3e. Anyone reports an organisation from its card (the reasons, then the report itself).
    press(moderation.report_button, Report)
    press(moderation.report_reason, ReportReason)
    # 3f. Anyone's own choice about the news (never someone else's).
    press(broadcast.news_button, NewsSwitch)

    # 4. Anything else gets an answer: never silence, never a spinning button.
    app.add_handler(CallbackQueryHandler(commands.expired_button))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & private, commands.unknown_message))
    app.add_error_handler(on_error)
