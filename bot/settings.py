"""Typed settings, read from the environment, then `.env`; validated at start-up."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

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
    # Messages per second for the whole bot (Telegram's limit for bulk sending is about 30).
    # 0 turns the throttle off; a 429 answer is still waited out and retried either way.
    telegram_max_rate: float = Field(default=30, ge=0)
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

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

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
