"""Passerelle's entry point and wiring."""

import os

# Opt in now to python-telegram-bot's next major behaviour (time periods as timedelta), which
# also silences its deprecation warning whenever Telegram answers 429 with retry_after.
os.environ.setdefault("PTB_TIMEDELTA", "1")
