"""Typed settings, read from the environment, then `.env`; validated at start-up."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from core.pipeline import NudgeDelays
from core.timing import QuietHours, parse_duration

TELEGRAM_API = "https://api.telegram.org/bot"


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
