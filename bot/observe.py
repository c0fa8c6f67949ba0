"""Health and metrics: what the bot knows about itself, served on HTTP_PORT.

- `/healthz` answers 200 only when the database answers and updates are arriving:
  - long polling: Telegram answered a getUpdates (an empty long poll counts) within
    UPDATES_STALE_AFTER. `WatchedRequest` notes each answer on the connection python-telegram-bot
    uses for getUpdates only, so a quiet night stays healthy and a Telegram outage, a network
    problem or a stuck polling loop does not;
  - webhook mode: no update can be awaited when nobody writes, so Telegram is asked instead
    (getWebhookInfo, at most every 10 s): the webhook must be ours, and Telegram must not be
    holding updates it failed to deliver.
- `/metrics` is Prometheus's text format: updates handled and their handling time, the
  outbox (by state, due backlog, age of the oldest due message), sends by result, and
  organisations and partnerships by kind, status and stage. Nothing in it names anyone.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector
from telegram import Bot
from telegram.error import TelegramError
from telegram.ext import Application
from telegram.request import HTTPXRequest

from bot.delivery import Stats
from bot.settings import Webhook
from core.models import OrgKind, OrgStatus
from core.pipeline import Stage
from storage import outbox, stats
from storage.db import Database

log = logging.getLogger(__name__)

# Handling times worth telling apart: instant, noticeable, slow, broken.
LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# How long the database may take to answer a health probe.
DATABASE_PATIENCE = 2.0
# Webhook mode asks Telegram at most this often, however often /healthz is probed.
WEBHOOK_INFO_EVERY = 10.0


class Liveness:
    """When Telegram last answered a getUpdates (monotonic seconds)."""

    def __init__(self) -> None:
        self.last_answer: float | None = None

    def answered(self) -> None:
        self.last_answer = time.monotonic()

    def silence(self) -> float | None:
        """Seconds since Telegram last answered; None if it never did."""
        return None if self.last_answer is None else time.monotonic() - self.last_answer


class WatchedRequest(HTTPXRequest):
    """The getUpdates connection (python-telegram-bot keeps one apart for it), noting every
    answer from Telegram, an empty long poll included."""

    def __init__(self, liveness: Liveness) -> None:
        # What ApplicationBuilder gives getUpdates by default: one connection.
        super().__init__(connection_pool_size=1)
        self._liveness = liveness

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        # The arguments pass through untouched: spelling out HTTPXRequest's signature would
        # need its timeout types, which python-telegram-bot keeps private.
        status, payload = await super().do_request(*args, **kwargs)
        if status == 200:
            self._liveness.answered()
        return status, payload


class SendsCollector(Collector):
    """The dispatcher's sends by result, read from its counters at each scrape."""

    def __init__(self, stats: Callable[[], Stats]) -> None:
        self._stats = stats

    def collect(self) -> Iterator[Metric]:
        counted = self._stats()
        family = CounterMetricFamily(
            "passerelle_sends",
            "Outbox sends by Telegram's answer: ok, 429 (waited out), 5xx (server errors, "
            "timeouts and network errors, tried again), 403 (blocked: held), 400 (refused).",
            labels=["result"],
        )
        for result, value in (
            ("ok", counted.sent),
            ("429", counted.throttled),
            ("5xx", counted.retried),
            ("403", counted.blocked),
            ("400", counted.refused),
        ):
            family.add_metric([result], value)
        yield family


class Metrics:
    """The metrics, in a registry of their own (created once, in the wiring)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.updates = Counter("passerelle_updates", "Updates handled.", registry=r)
        self.handling = Histogram(
            "passerelle_update_seconds",
            "Time to handle an update, its reply included, once its chat's turn came.",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.outbox = Gauge(
            "passerelle_outbox_messages", "Outbox rows by state.", ["state"], registry=r
        )
        self.backlog = Gauge(
            "passerelle_outbox_backlog", "Outbox messages due and not yet sent.", registry=r
        )
        self.backlog_age = Gauge(
            "passerelle_outbox_oldest_due_seconds",
            "How long the oldest due, unsent outbox message has waited (0 when none).",
            registry=r,
        )
        self.retrying = Gauge(
            "passerelle_outbox_retrying",
            "Outbox messages Telegram refused for now (5xx, 429), waiting for their next try.",
            registry=r,
        )
        self.organisations = Gauge(
            "passerelle_organisations", "Organisations.", ["kind", "status"], registry=r
        )
        self.partnerships = Gauge(
            "passerelle_partnerships", "Introduced pairs by stage.", ["stage"], registry=r
        )
        self.last_answer = Gauge(
            "passerelle_updates_silence_seconds",
            "Seconds since Telegram last answered a getUpdates (-1: never; webhook mode: -1).",
            registry=r,
        )

    def watch_sends(self, stats: Callable[[], Stats]) -> None:
        self.registry.register(SendsCollector(stats))

    def handled(self, seconds: float) -> None:
        self.updates.inc()
        self.handling.observe(seconds)

    async def render(self, db: Database, now: datetime, liveness: Liveness) -> bytes:
        """The exposition, with the stored counts read now."""
        by_state = await outbox.counts(db)
        for state in ("pending", "sending", "held", "sent", "failed"):
            self.outbox.labels(state).set(by_state.get(state, 0))
        waiting = await outbox.backlog(db, now)
        self.backlog.set(waiting.due)
        oldest = waiting.oldest_due
        self.backlog_age.set(max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)
        self.retrying.set(waiting.retrying)
        orgs = await stats.organisations(db)
        for kind in OrgKind:
            for status in OrgStatus:
                self.organisations.labels(kind.value, status.value).set(
                    orgs.get((kind.value, status.value), 0)
                )
        stages = await stats.partnerships(db)
        for stage in Stage:
            self.partnerships.labels(stage.value).set(stages.get(stage.value, 0))
        silence = liveness.silence()
        self.last_answer.set(-1 if silence is None else silence)
        return generate_latest(self.registry)


class Health:
    """The checks behind /healthz."""

    def __init__(
        self,
        db: Database,
        bot: Bot,
        liveness: Liveness,
        *,
        stale_after: float,
        webhook: Webhook | None,
    ) -> None:
        self._db = db
        self._bot = bot
        self._liveness = liveness
        self._stale_after = stale_after
        self._webhook = webhook
        self._webhook_verdict: tuple[float, str | None] | None = None

    async def check(self) -> dict[str, str | None]:
        """Each check's problem, or None when it passes."""
        return {"database": await self._database(), "updates": await self._updates()}

    async def _database(self) -> str | None:
        try:
            await asyncio.wait_for(self._db.fetchone("SELECT 1"), DATABASE_PATIENCE)
        except TimeoutError:
            return f"no answer within {DATABASE_PATIENCE:g} s"
        except Exception as error:  # any failure means unhealthy; named by kind
            return f"failing ({type(error).__name__})"
        return None

    async def _updates(self) -> str | None:
        if self._webhook is not None:
            return await self._webhook_problem(self._webhook)
        silence = self._liveness.silence()
        if silence is None:
            return "Telegram has not answered a getUpdates yet"
        if silence > self._stale_after:
            return f"Telegram last answered a getUpdates {silence:.0f} s ago"
        return None

    async def _webhook_problem(self, webhook: Webhook) -> str | None:
        if self._webhook_verdict is not None:
            asked, cached = self._webhook_verdict
            if time.monotonic() - asked < WEBHOOK_INFO_EVERY:
                return cached
        verdict: str | None = None
        try:
            info = await self._bot.get_webhook_info()
        except TelegramError as error:
            verdict = f"getWebhookInfo failed ({type(error).__name__})"
        else:
            if info.url != webhook.url:
                verdict = "Telegram's webhook is not this bot's WEBHOOK_URL"
            elif info.pending_update_count and info.last_error_message:
                verdict = (
                    f"Telegram holds {info.pending_update_count} updates it could not deliver: "
                    f"{info.last_error_message}"
                )
        self._webhook_verdict = (time.monotonic(), verdict)
        return verdict


class StatusServer:
    """The small HTTP server for /healthz and /metrics (keep it off the public internet)."""

    def __init__(
        self,
        health: Health,
        metrics: Metrics,
        db: Database,
        clock: Callable[[], datetime],
        liveness: Liveness,
        *,
        listen: str,
        port: int,
    ) -> None:
        self._health = health
        self._metrics = metrics
        self._db = db
        self._clock = clock
        self._liveness = liveness
        self._listen = listen
        self._wanted_port = port
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics_page)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._listen, self._wanted_port)
        await site.start()
        server: Any = site._server
        self.port = server.sockets[0].getsockname()[1]
        log.info("health and metrics on http://%s:%s/", self._listen, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, request: web.Request) -> web.Response:
        problems = await self._health.check()
        healthy = not any(problems.values())
        lines = [f"{name}: {problem or 'ok'}" for name, problem in problems.items()]
        return web.Response(
            text="\n".join([("ok" if healthy else "unhealthy"), *lines]) + "\n",
            status=200 if healthy else 503,
        )

    async def _metrics_page(self, request: web.Request) -> web.Response:
        body = await self._metrics.render(self._db, self._clock(), self._liveness)
        response = web.Response(body=body)
        response.content_type = CONTENT_TYPE_LATEST.split(";")[0]
        response.charset = "utf-8"
        return response


class ObservedApplication(Application[Any, Any, Any, Any, Any, Any]):
    """python-telegram-bot's Application, counting and timing each update it handles."""

    def __init__(self, *, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._observed = metrics

    async def process_update(self, update: object) -> None:
        started = time.monotonic()
        try:
            await super().process_update(update)
        finally:
            self._observed.handled(time.monotonic() - started)
