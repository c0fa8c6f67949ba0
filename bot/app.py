"""Application wiring: build the bot and its services, run it (bot/routes.py registers every
handler, in one place)."""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, TypeAlias, cast

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ContextTypes,
    Defaults,
    ExtBot,
    JobQueue,
)
from telegram.warnings import PTBUserWarning

from bot import routes
from bot.clock import Clock, system_clock
from bot.delivery import Dispatcher
from bot.i18n import load_translator
from bot.notices import Notices
from bot.observe import Liveness, Metrics, ObservedApplication, WatchedRequest
from bot.operations import Operations
from bot.persistence import SqliteConversationPersistence
from bot.processing import PerChatUpdateProcessor
from bot.ratelimit import PriorityRateLimiter
from bot.settings import Settings, Webhook
from bot.warmup import IndexWarmup, train_reader
from core.i18n import LANGUAGES, Translator
from core.matching import MatchIndex
from core.taxonomy import TAXONOMY
from handlers import broadcast, followup, notifications
from handlers.context import Context, MatchingPolicy, Services
from handlers.errors import ErrorAlerts
from storage import partnerships, users
from storage.db import Database

log = logging.getLogger(__name__)

# Our conversations mix typed answers and button presses in one chat on purpose: per_message
# must stay False, so python-telegram-bot's reminder about it is noise here.
warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)

# How long an update that needs the match index waits for it after a restart (it loads in
# seconds even for 100,000 organisations) before the user is asked to come back in a minute.
INDEX_PATIENCE = 60.0

# The commands in the menu, in menu order.
MENU = (
    "start",
    "matches",
    "partnerships",
    "wishes",
    "profile",
    "pause",
    "resume",
    "language",
    "mydata",
    "delete",
    "help",
    "cancel",
)

# The organisers' menu: the same, then their own commands (set for each organiser's chat, so
# that nobody else sees them).
ORGANISER_MENU = (
    *MENU,
    "newevent",
    "events",
    "pipeline",
    "stats",
    "export",
    "broadcast",
    "reports",
    "audit",
)

BotApp: TypeAlias = Application[
    ExtBot[Any], Context, dict[Any, Any], dict[Any, Any], dict[Any, Any], JobQueue[Context]
]


def build_application(
    settings: Settings,
    db: Database,
    token: str,
    *,
    clock: Clock = system_clock,
) -> BotApp:
    """The bot, talking to `settings.telegram_api_base_url` (Telegram or a local stand-in).

    `clock` is injectable so that tests can place the bot at night or a day later.
    """
    # Rung by handlers after they queue messages; the dispatcher then sends them at once.
    doorbell = asyncio.Event()
    # One chat's backlog holds one slot at a time and is cut off beyond a limit (the notice
    # and the wait for the match index are plugged in below, once the bot exists).
    processor = PerChatUpdateProcessor(
        settings.concurrent_updates, max_pending_per_chat=settings.max_pending_per_chat
    )
    # For /healthz and /metrics: Telegram's answers to getUpdates, and each update handled.
    liveness, metrics = Liveness(), Metrics()
    # The builder types its context with ExtBot[None]; ours takes the limiter's arguments.
    app = cast(
        BotApp,
        ApplicationBuilder()
        .application_class(ObservedApplication, {"metrics": metrics})
        .get_updates_request(WatchedRequest(liveness))
        .token(token)
        # Every message is Telegram HTML, its user-supplied parts escaped (core.i18n).
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .context_types(ContextTypes(context=Context))
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.api_file_url)
        .persistence(SqliteConversationPersistence(db))
        .concurrent_updates(processor)
        # Keeps under Telegram's flood limits, people's replies before bulk sends, and waits
        # out a 429 (for one chat when it is about one chat) before retrying.
        .rate_limiter(
            PriorityRateLimiter(
                settings.telegram_max_rate,
                chat_max_rate=settings.telegram_chat_rate,
                max_retries=3,
            )
        )
        .post_init(_start_services)
        .post_stop(_stop_services)
        .build(),
    )
    svc = build_services(settings, db, clock=clock, wake=doorbell.set)
    app.bot_data["services"] = svc
    notices = Notices(app.bot, db, svc.t, settings.default_language)
    processor.on_overflow = notices.slow_down
    # The match index loads in the background at start-up (see bot/warmup.py); updates that
    # may read it wait for it, in their chat's queue, without holding a slot.
    warmup = IndexWarmup(
        db,
        svc.index,
        patience=INDEX_PATIENCE,
        on_timeout=notices.warming_up,
        then=doorbell.set,
        # The learned reader trains in a thread, not in the event loop at the first reading,
        # which would hold every chat up for seconds; indexing waits for it. It is kept
        # beside the database, so that a restart reads it back instead of training.
        prepare=lambda: train_reader(svc.taxonomy, settings.database_path.parent / "cache"),
    )
    app.bot_data["warmup"] = warmup
    processor.admit = warmup.admit

    async def match_notifications(svc: Services, now: datetime) -> datetime | None:
        """Only once the match index is loaded: a notification about an organisation not yet
        in it would be dropped as gone (the warm-up rings the doorbell when it is done)."""
        return await notifications.plan_due(svc, now) if warmup.ready else None

    app.bot_data["dispatcher"] = Dispatcher(
        app.bot,
        svc,
        doorbell,
        # Nudges first: a live round's message is the most time-critical thing sent.
        (followup.plan_due, match_notifications, broadcast.plan_due),
        idle_check=settings.dispatch_idle_seconds,
        concurrency=settings.send_concurrency,
    )
    metrics.watch_sends(lambda: app.bot_data["dispatcher"].stats)
    app.bot_data["operations"] = Operations(settings, liveness, metrics)
    if settings.admin_chat_id is not None:
        app.bot_data["alerts"] = ErrorAlerts(settings.admin_chat_id)
    routes.register(app, svc)
    return app


def build_services(
    settings: Settings, db: Database, *, clock: Clock, wake: Callable[[], None]
) -> Services:
    """The long-lived services every handler reaches (created once, at start-up)."""
    return Services(
        db=db,
        t=load_translator(settings.default_language),
        taxonomy=TAXONOMY,
        organiser_ids=settings.organiser_ids,
        default_language=settings.default_language,
        index=MatchIndex(),
        policy=MatchingPolicy(
            strong_score=settings.strong_match_score,
            per_day=settings.notifications_per_day,
            quiet=settings.quiet,
            zone=settings.zone,
            request_expiry=settings.request_expiry_delta,
            max_pending=settings.max_pending_requests,
            nudges=settings.nudge_delays,
            nudges_per_day=settings.nudges_per_day,
            event_reminders=settings.event_reminder_delays,
        ),
        clock=clock,
        wake=wake,
    )


async def _start_services(app: BotApp) -> None:
    """Start loading the match index in the background, publish the command menu, and start
    the dispatcher (what fell due while the bot was down goes first; queued match
    notifications once the index is loaded)."""
    svc: Services = app.bot_data["services"]
    # Not awaited: polling starts now and the bot answers while the index fills.
    warmup: IndexWarmup = app.bot_data["warmup"]
    warmup.start()
    await _publish_commands(app)
    await _publish_about(app)
    # Nudges claimed by an older version's process that died go back to the queue.
    await partnerships.recover(svc.db)
    await app.bot_data["dispatcher"].start()
    # The health and metrics server, and the backup schedule (when configured).
    await app.bot_data["operations"].start(app, svc)


async def _stop_services(app: BotApp) -> None:
    """Stop the dispatcher (sends in flight finish first) and the index warm-up."""
    await app.bot_data["dispatcher"].stop()
    await app.bot_data["warmup"].stop()
    await app.bot_data["operations"].stop()


async def _publish_commands(app: BotApp) -> None:
    """The command menu in French and English (and the default language for everyone else)."""
    translator: Translator = app.bot_data["services"].t
    for code in LANGUAGES:
        menu = [BotCommand(name, translator(code, f"commands.{name}")) for name in MENU]
        await app.bot.set_my_commands(menu, scope=BotCommandScopeDefault(), language_code=code)
    default = translator.default
    menu = [BotCommand(name, translator(default, f"commands.{name}")) for name in MENU]
    await app.bot.set_my_commands(menu, scope=BotCommandScopeDefault())
    svc: Services = app.bot_data["services"]
    for organiser in sorted(svc.organiser_ids):
        # In the organiser's language when they have chosen one, else the network's.
        lang = await users.get_language(svc.db, organiser) or default
        menu = [BotCommand(name, translator(lang, f"commands.{name}")) for name in ORGANISER_MENU]
        try:
            await app.bot.set_my_commands(menu, scope=BotCommandScopeChat(organiser))
        except TelegramError as error:
            # Telegram refuses a chat the organiser never opened with the bot: they get the
            # public menu until the next start.
            log.warning("no organiser menu for one organiser: %s", type(error).__name__)


async def _publish_about(app: BotApp) -> None:
    """The bot's description and short description (its profile, and the empty chat's
    "What can this bot do?") in French and English, and the default language's for everyone
    else. Set only when they changed: Telegram limits how often they may be set."""
    translator: Translator = app.bot_data["services"].t
    bot = app.bot
    for code in (*LANGUAGES, ""):
        lang = code or translator.default
        description = translator(lang, "about.description")
        short = translator(lang, "about.short_description")
        if (await bot.get_my_description(code or None)).description != description:
            await bot.set_my_description(description, language_code=code or None)
        if (await bot.get_my_short_description(code or None)).short_description != short:
            await bot.set_my_short_description(short, language_code=code or None)


@asynccontextmanager
async def running(
    app: BotApp, *, poll_timeout: int = 30, webhook: Webhook | None = None
) -> AsyncIterator[BotApp]:
    """Start polling (as `run_polling` does), or the webhook server (as `run_webhook` does),
    and stop cleanly on exit."""
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    assert app.updater is not None
    if webhook is None:
        await app.updater.start_polling(
            timeout=poll_timeout, allowed_updates=Update.ALL_TYPES, drop_pending_updates=False
        )
    else:
        # Calls setWebhook with the secret; python-telegram-bot's server then refuses (403)
        # any request without it in X-Telegram-Bot-Api-Secret-Token.
        await app.updater.start_webhook(
            listen=webhook.listen,
            port=webhook.port,
            url_path=webhook.path,
            webhook_url=webhook.url,
            secret_token=webhook.secret,
            allowed_updates=Update.ALL_TYPES,
            drop_pending_updates=False,
        )
    await app.start()
    try:
        yield app
    finally:
        await app.bot_data["warmup"].stop()
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        # run_polling calls post_stop itself; this context stands in for it.
        if app.post_stop is not None:
            await app.post_stop(app)
        await app.shutdown()
