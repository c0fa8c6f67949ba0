"""Typed settings, read from the environment, then `.env`; validated at start-up."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from core.pipeline import NudgeDelays
from core.timing import QuietHours, parse_duration

TELEGRAM_API = "https://api.telegram.org/bot"
# What Telegram accepts as a webhook's secret token.
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


@dataclass(frozen=True, slots=True)
class Webhook:
    """Webhook mode: Telegram POSTs updates to `url`; a reverse proxy forwards them to
    listen:port, where python-telegram-bot's server checks the secret on every request."""

    url: str
    listen: str
    port: int
    secret: str = field(repr=False)

    @property
    def path(self) -> str:
        """The path the bot's server answers on: the public URL's own (behind a proxy)."""
        return urlsplit(self.url).path.lstrip("/")


class Settings(BaseSettings):
    """Every setting is listed, with a comment, in .env.example."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = TELEGRAM_API
    database_path: Path = Path("data/passerelle.sqlite3")
    organiser_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    default_language: Literal["fr", "en"] = "fr"
    timezone: str = "Europe/Paris"
    # Long-polling timeout for getUpdates, in seconds.
    poll_timeout: int = Field(default=30, ge=0, le=50)
    # Updates processed at once (one at a time per chat, so a user's answers stay in order).
    concurrent_updates: int = Field(default=64, ge=1, le=1024)
    # Updates waiting in one chat beyond which new ones are dropped (the user is told once).
    max_pending_per_chat: int = Field(default=20, ge=1)
    # Messages per second for the whole bot (Telegram's limit for bulk sending is about 30).
    # 0 turns the throttle off; a 429 answer is still waited out and retried either way.
    telegram_max_rate: float = Field(default=30, ge=0)
    # Messages per second in one chat once a burst of 10 is spent (Telegram asks for about 1);
    # 0 turns the per-chat throttle off. Groups always get 20 a minute while throttling.
    telegram_chat_rate: float = Field(default=1, ge=0)
    # Matching and introductions.
    strong_match_score: float = Field(default=2.0, gt=0)  # who gets a match notification
    notifications_per_day: int = Field(default=3, ge=1)  # beyond: gathered into a digest
    quiet_hours: str = "21:00-08:00"  # local time (TIMEZONE); nothing is sent meanwhile
    max_pending_requests: int = Field(default=5, ge=1)  # unanswered requests per organisation
    request_expiry: str = "14d"  # an unanswered request expires after this
    # Follow-through: when each question is asked (durations: 90s, 15m, 3h, 14d, 2w).
    contact_check_after: str = "7d"  # after an introduction, to the side expected to call
    contact_reminder_after: str = "14d"  # to the other side, if nothing moved
    met_check_after: str = "14d"  # after "in contact": did you meet?
    agreed_check_after: str = "21d"  # after "met": did a partnership come out of it?
    outcome_checks: str = "90d,180d"  # after a partnership is agreed
    request_reminder_after: str = "7d"  # an interest request still unanswered
    profile_fresh_after: str = "180d"  # a profile unchanged this long
    nudge_repeat_after: str = "7d"  # an unanswered question is asked again after this
    max_ignored_nudges: int = Field(default=3, ge=1)  # then the pair is marked stuck
    nudges_per_day: int = Field(default=2, ge=1)  # per organisation
    # Delivery (the outbox): the dispatcher wakes at each due time and whenever a message is
    # queued; this only bounds how long it sleeps when nothing is due (a safety net).
    dispatch_idle_check: str = "60s"
    send_concurrency: int = Field(default=8, ge=1, le=64)  # chats served at once
    event_reminders: str = "1d,1h"  # before a speed meeting starts (comma-separated)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Running it for real (issue 12). Webhook mode instead of long polling when WEBHOOK_URL is
    # set: Telegram POSTs updates there (HTTPS, behind a reverse proxy that forwards to
    # WEBHOOK_LISTEN:WEBHOOK_PORT), with WEBHOOK_SECRET in a header checked on every request.
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = Field(default=None, validate_default=True)
    # /healthz and /metrics, off unless HTTP_PORT is set (0 picks a free port, for tests).
    http_port: int | None = Field(default=None, ge=0, le=65535)
    http_listen: str = "127.0.0.1"
    # /healthz fails when Telegram has not answered a getUpdates for this long (polling).
    updates_stale_after: str = "2m"
    # Daily online backups into BACKUP_DIR (off when unset) at BACKUP_TIME (TIMEZONE), keeping
    # the newest BACKUP_KEEP files.
    backup_dir: Path | None = None
    backup_keep: int = Field(default=7, ge=1)
    backup_time: str = "03:30"
    # A chat that gets one line (kind of error, handler, update id) per unexpected error.
    admin_chat_id: int | None = None

    @field_validator("webhook_url", "backup_dir", "http_port", "admin_chat_id", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `KEY=` as copied from .env.example means "not set".
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must be the public https:// URL Telegram will send updates to")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is not None and not value.get_secret_value().strip():
            value = None
        if value is None:
            if info.data.get("webhook_url"):
                raise ValueError("is required with WEBHOOK_URL (1-256 of A-Z, a-z, 0-9, _ and -)")
            return None
        if not _SECRET_TOKEN.match(value.get_secret_value()):
            raise ValueError("must be 1-256 characters among A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("updates_stale_after")
    @classmethod
    def _stale_after(cls, value: str) -> str:
        parse_duration(value)
        return value

    @field_validator("backup_time")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        try:
            time.fromisoformat(value)
        except ValueError:
            raise ValueError("must be a time of day, HH:MM (e.g. 03:30)") from None
        return value

    @field_validator("organiser_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError:
                raise ValueError(
                    "must be Telegram user ids (numbers) separated by commas"
                ) from None
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (e.g. Europe/Paris)") from None
        return value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        bot_id, _, secret = value.get_secret_value().partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError("does not look like a bot token (expected 123456:ABC...)")
        return value

    @field_validator(
        "request_expiry",
        "contact_check_after",
        "contact_reminder_after",
        "met_check_after",
        "agreed_check_after",
        "request_reminder_after",
        "profile_fresh_after",
        "nudge_repeat_after",
        "dispatch_idle_check",
    )
    @classmethod
    def _duration(cls, value: str) -> str:
        parse_duration(value)
        return value

    @field_validator("outcome_checks", "event_reminders")
    @classmethod
    def _durations(cls, value: str) -> str:
        for part in value.split(","):
            parse_duration(part)
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _window(cls, value: str) -> str:
        QuietHours.parse(value)
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def quiet(self) -> QuietHours:
        return QuietHours.parse(self.quiet_hours)

    @property
    def request_expiry_delta(self) -> timedelta:
        return parse_duration(self.request_expiry)

    @property
    def nudge_delays(self) -> NudgeDelays:
        return NudgeDelays(
            contact_check=parse_duration(self.contact_check_after),
            contact_reminder=parse_duration(self.contact_reminder_after),
            met_check=parse_duration(self.met_check_after),
            agreed_check=parse_duration(self.agreed_check_after),
            outcome_checks=tuple(parse_duration(p) for p in self.outcome_checks.split(",")),
            request_reminder=parse_duration(self.request_reminder_after),
            profile_fresh=parse_duration(self.profile_fresh_after),
            repeat=parse_duration(self.nudge_repeat_after),
            max_ignored=self.max_ignored_nudges,
        )

    @property
    def event_reminder_delays(self) -> tuple[timedelta, ...]:
        return tuple(parse_duration(p) for p in self.event_reminders.split(","))

    @property
    def dispatch_idle_seconds(self) -> float:
        return parse_duration(self.dispatch_idle_check).total_seconds()

    @property
    def webhook(self) -> Webhook | None:
        """Webhook mode's settings, or None for long polling."""
        if self.webhook_url is None or self.webhook_secret is None:
            return None
        return Webhook(
            self.webhook_url,
            self.webhook_listen,
            self.webhook_port,
            self.webhook_secret.get_secret_value(),
        )

    @property
    def updates_stale_seconds(self) -> float:
        return parse_duration(self.updates_stale_after).total_seconds()

    @property
    def backup_at(self) -> time:
        """When the daily backup runs, in TIMEZONE."""
        return time.fromisoformat(self.backup_time).replace(tzinfo=self.zone)

    @property
    def api_file_url(self) -> str:
        """Telegram serves files under /file/bot<token>; a stand-in follows the same shape."""
        base = self.telegram_api_base_url
        return base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base + "/file"


def load_or_exit() -> Settings:
    """The settings, or exit with status 2 and a message naming each bad one."""
    try:
        return Settings()
    except ValidationError as error:
        print(explain(error), file=sys.stderr)
        raise SystemExit(2) from None


def explain(error: ValidationError) -> str:
    """A start-up message naming each bad setting by its environment variable."""
    lines = ["Invalid settings:"]
    for problem in error.errors():
        name = "_".join(str(part) for part in problem["loc"][:1]).upper()
        lines.append(f"  {name}: {problem['msg']}")
    return "\n".join(lines)
