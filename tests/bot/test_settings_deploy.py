"""Settings for running it for real: webhook, health server, backups, admin chat; and
.env.example as the complete, working list of settings."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from bot.settings import Settings, explain

ROOT = Path(__file__).resolve().parents[2]


def make(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_env_example_lists_every_setting() -> None:
    """Each setting appears in .env.example (with a comment above it)."""
    listed = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text("utf-8").splitlines()
        if line and not line.startswith("#") and "=" in line
    }
    assert {name.upper() for name in Settings.model_fields} <= listed


def test_env_example_copied_as_is_is_valid(tmp_path: Path) -> None:
    """`cp .env.example .env` gives a valid configuration: empty values mean "not set"."""
    env = tmp_path / ".env"
    env.write_text((ROOT / ".env.example").read_text("utf-8"), "utf-8")
    settings = Settings(_env_file=env)  # type: ignore[call-arg]
    assert settings.webhook is None
    assert settings.http_port is None
    assert settings.backup_dir is None
    assert settings.admin_chat_id is None


def test_polling_unless_a_webhook_url_is_set() -> None:
    assert make().webhook is None
    hook = make(
        webhook_url="https://bot.example.org/telegram/updates",
        webhook_secret="s3cret_-token",
        webhook_listen="0.0.0.0",
        webhook_port=8081,
    ).webhook
    assert hook is not None
    assert (hook.listen, hook.port, hook.path) == ("0.0.0.0", 8081, "telegram/updates")
    assert "s3cret" not in repr(hook)


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"webhook_url": "https://bot.example.org/hook"}, "WEBHOOK_SECRET"),
        ({"webhook_url": "https://x.org/h", "webhook_secret": "has space"}, "WEBHOOK_SECRET"),
        ({"webhook_url": "https://x.org/h", "webhook_secret": "x" * 257}, "WEBHOOK_SECRET"),
        ({"webhook_url": "bot.example.org/hook", "webhook_secret": "abc"}, "WEBHOOK_URL"),
        ({"webhook_port": 0}, "WEBHOOK_PORT"),
        ({"http_port": 70000}, "HTTP_PORT"),
        ({"updates_stale_after": "soon"}, "UPDATES_STALE_AFTER"),
        ({"backup_keep": 0}, "BACKUP_KEEP"),
        ({"backup_time": "25:00"}, "BACKUP_TIME"),
        ({"admin_chat_id": "@admins"}, "ADMIN_CHAT_ID"),
    ],
)
def test_bad_deployment_settings_are_named(values: dict[str, object], named: str) -> None:
    with pytest.raises(ValidationError) as caught:
        make(**values)
    assert named in explain(caught.value)


def test_the_webhook_secret_is_hidden() -> None:
    settings = make(webhook_url="https://x.org/h", webhook_secret="TopSecret123")
    assert "TopSecret123" not in repr(settings)


def test_backup_time_is_in_the_configured_zone() -> None:
    settings = make(backup_time="04:15", timezone="America/Montreal")
    assert settings.backup_at == time(4, 15, tzinfo=ZoneInfo("America/Montreal"))
    assert make().updates_stale_seconds == 120
