"""Settings are validated at start-up with a message naming what is wrong."""

from __future__ import annotations

import logging

import pytest
from pydantic import ValidationError

from bot.logs import RedactingFilter
from bot.settings import Settings, explain


def make(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_defaults_are_usable_without_a_token() -> None:
    """Without a token the bot falls back to the sandbox; defaults point at Telegram."""
    settings = make()
    assert settings.telegram_bot_token is None
    assert settings.telegram_api_base_url == "https://api.telegram.org/bot"
    assert settings.api_file_url == "https://api.telegram.org/file/bot"
    assert settings.default_language == "fr"
    assert settings.timezone == "Europe/Paris"


def test_organiser_ids_are_read_from_a_comma_separated_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ORGANISER_IDS='1, 2,3' gives three ids."""
    monkeypatch.setenv("ORGANISER_IDS", "1, 2,3")
    assert Settings(_env_file=None).organiser_ids == frozenset({1, 2, 3})  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"timezone": "Mars/Olympus"}, "TIMEZONE"),
        ({"default_language": "de"}, "DEFAULT_LANGUAGE"),
        ({"telegram_bot_token": "not a token"}, "TELEGRAM_BOT_TOKEN"),
        ({"telegram_api_base_url": "ftp://x"}, "TELEGRAM_API_BASE_URL"),
        ({"organiser_ids": "12,abc"}, "ORGANISER_IDS"),
    ],
)
def test_bad_settings_are_named(values: dict[str, object], named: str) -> None:
    """The start-up message names the environment variable at fault."""
    with pytest.raises(ValidationError) as caught:
        make(**values)
    assert named in explain(caught.value)


def test_the_token_is_hidden_in_reprs_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Neither repr(settings) nor a log line with the token shows it."""
    token = "123456:SECRET-abcdef"
    assert "SECRET" not in repr(make(telegram_bot_token=token))
    logger = logging.getLogger("test.redaction")
    logger.addFilter(RedactingFilter([token]))
    with caplog.at_level(logging.INFO, logger="test.redaction"):
        logger.info("POST https://api.telegram.org/bot%s/getMe", token)
    assert "SECRET" not in caplog.text
    assert "<redacted>" in caplog.text
