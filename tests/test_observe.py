"""/healthz and /metrics, served by the running bot (HTTP_PORT) while it talks to the stand-in."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bot.app import BotApp
from bot.observe import Health, Liveness
from bot.operations import Operations
from core.delivery import OutMessage
from core.models import Item
from sandbox.scenarios import association_profile, company_profile
from sandbox.standin import BotApiStandIn
from storage import introductions, organisations, outbox
from storage.db import Database
from tests.harness import Clock, bot_running, seed, svc


def status_url(app: BotApp, path: str) -> str:
    operations = app.bot_data["operations"]
    assert isinstance(operations, Operations)
    assert operations.server is not None
    return f"http://127.0.0.1:{operations.server.port}{path}"


@asynccontextmanager
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as http:
        yield http


async def scrape(app: BotApp) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """/metrics as {(sample name, labels): value}."""
    async with client() as http:
        response = await http.get(status_url(app, "/metrics"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


async def healthz(app: BotApp) -> httpx.Response:
    async with client() as http:
        return await http.get(status_url(app, "/healthz"))


async def wait_for_health(app: BotApp, status: int, patience: float = 15) -> httpx.Response:
    """Probe /healthz until it answers `status` (as a monitor would)."""
    deadline = asyncio.get_running_loop().time() + patience
    while True:
        response = await healthz(app)
        if response.status_code == status or asyncio.get_running_loop().time() > deadline:
            return response
        await asyncio.sleep(0.2)


async def until(condition: Callable[[], bool], patience: float = 15) -> None:
    deadline = asyncio.get_running_loop().time() + patience
    while True:
        if condition():
            return
        assert asyncio.get_running_loop().time() < deadline, "never happened"
        await asyncio.sleep(0.05)


async def test_no_status_server_unless_http_port_is_set(
    standin: BotApiStandIn, db_path: Path
) -> None:
    async with bot_running(standin, db_path) as (app, _):
        assert app.bot_data["operations"].server is None


async def test_healthy_while_polling_unhealthy_when_telegram_stops_answering(
    standin: BotApiStandIn, db_path: Path
) -> None:
    """OK while getUpdates gets answers, even with nobody writing; 503 once Telegram has not
    answered for UPDATES_STALE_AFTER (an outage); OK again when it is back."""
    async with bot_running(standin, db_path, http_port=0, updates_stale_after="2s") as (app, _):
        response = await wait_for_health(app, 200)
        assert response.status_code == 200, response.text
        assert response.text.splitlines() == ["ok", "database: ok", "updates: ok"]
        # Nobody writes for longer than the window: empty long polls keep it healthy.
        await asyncio.sleep(2.5)
        assert (await healthz(app)).status_code == 200

        standin.down = True
        response = await wait_for_health(app, 503)
        assert response.status_code == 503
        assert "updates: Telegram last answered a getUpdates" in response.text
        assert "database: ok" in response.text

        standin.down = False
        response = await wait_for_health(app, 200, patience=40)
        assert response.status_code == 200, response.text


async def test_unhealthy_when_the_database_does_not_answer(
    standin: BotApiStandIn, db_path: Path
) -> None:
    """A database that fails its probe makes /healthz fail, named by the kind of failure."""
    async with bot_running(standin, db_path) as (app, _):
        broken = await Database.open(db_path.with_name("other.sqlite3"))
        await broken.close()
        liveness = Liveness()
        liveness.answered()
        health = Health(broken, app.bot, liveness, stale_after=60, webhook=None)
        problems = await health.check()
    assert problems["updates"] is None
    assert problems["database"] is not None
    assert problems["database"].startswith("failing (")


async def test_metrics_count_updates_sends_backlog_and_the_network(
    standin: BotApiStandIn, db_path: Path
) -> None:
    """Updates handled and their time; sends by result; the outbox backlog and its age;
    organisations by kind and status; partnerships by stage."""
    clock = Clock()
    async with bot_running(standin, db_path, clock=clock, http_port=0) as (app, db):
        services = svc(app)
        asso = await seed(app, standin, association_profile(4001, "Les Tournesols"))
        company = await seed(app, standin, company_profile(4002, "Pixel & Co", (Item("web"),)))
        await seed(app, standin, company_profile(4003, "Dormante SA", (Item("web"),)))
        await organisations.set_status(db, 4003, organisations.OrgStatus.PAUSED, clock())
        now = clock()
        interest = await introductions.request(
            db, asso.id, company.id, now=now, expires_at=now + timedelta(days=14), cap=5,
            delays=services.policy.nudges,
        )  # fmt: skip
        assert interest is not None
        await introductions.answer(
            db, interest, accept=True, association_id=asso.id, company_id=company.id, now=now,
            delays=services.policy.nudges,
        )  # fmt: skip

        await standin.user(4100, "Paul").send("/help")
        await standin.user(4101, "Lou").send("/help")

        # One chat: the first message meets a 500 (tried again in 2 s on a clock that stands
        # still), so the second, due five minutes ago, waits behind it.
        standin.user(4200, "Zoé")
        standin.fail_next(4200, 500)
        await outbox.put(db, [OutMessage(4200, "test", "Un")], now)
        await outbox.put(
            db, [OutMessage(4200, "test", "Deux", due_at=now - timedelta(minutes=5))], now
        )
        # A blocked company; a chat where Telegram keeps answering 429 beyond the rate
        # limiter's own retries.
        standin.block(4002)
        await outbox.put(db, [OutMessage(4002, "test", "Bonjour", recipient_id=company.id)], now)
        standin.user(4300, "Max")
        standin.fail_next(4300, 429, count=4)
        await outbox.put(db, [OutMessage(4300, "test", "Salut")], now)
        services.wake()
        stats = app.bot_data["dispatcher"].stats
        await until(lambda: (stats.retried, stats.blocked, stats.throttled) == (1, 1, 1))

        metrics = await scrape(app)
        assert metrics[("passerelle_updates_total", ())] >= 2
        assert metrics[("passerelle_update_seconds_count", ())] >= 2
        assert metrics[("passerelle_update_seconds_bucket", (("le", "+Inf"),))] >= 2
        assert metrics[("passerelle_sends_total", (("result", "5xx"),))] == 1
        assert metrics[("passerelle_sends_total", (("result", "429"),))] == 1
        assert metrics[("passerelle_sends_total", (("result", "403"),))] == 1
        assert metrics[("passerelle_sends_total", (("result", "ok"),))] == 0
        assert metrics[("passerelle_outbox_backlog", ())] == 1
        assert metrics[("passerelle_outbox_oldest_due_seconds", ())] == 300
        assert metrics[("passerelle_outbox_retrying", ())] == 2
        assert metrics[("passerelle_outbox_messages", (("state", "pending"),))] == 3
        assert metrics[("passerelle_outbox_messages", (("state", "held"),))] == 1
        orgs = (("kind", "company"), ("status", "active"))
        assert metrics[("passerelle_organisations", orgs)] == 1
        paused = (("kind", "company"), ("status", "paused"))
        assert metrics[("passerelle_organisations", paused)] == 1
        assert (
            metrics[("passerelle_organisations", (("kind", "association"), ("status", "active")))]
            == 1
        )
        assert metrics[("passerelle_partnerships", (("stage", "introduced"),))] == 1
        assert metrics[("passerelle_partnerships", (("stage", "met"),))] == 0
        assert 0 <= metrics[("passerelle_updates_silence_seconds", ())] < 5

        clock.advance(seconds=3)
        await standin.wait_for(lambda: len(standin.users[4200].bot_messages) == 2)
        metrics = await scrape(app)
        await until(lambda: len(standin.users[4300].bot_messages) == 1)
        metrics = await scrape(app)
        assert metrics[("passerelle_sends_total", (("result", "ok"),))] == 3
        assert metrics[("passerelle_outbox_backlog", ())] == 0
        assert metrics[("passerelle_outbox_oldest_due_seconds", ())] == 0
        assert [m.text for m in standin.users[4200].bot_messages] == ["Un", "Deux"]
        text = (await healthz(app)).text + str(metrics)
        assert "Zoé" not in text, "no personal data"
        assert "Tournesols" not in text
