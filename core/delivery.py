"""What the bot sends on its own, and when: outgoing messages, the delivery policy, retries.

Pure: no Telegram, no database, no clock. The outbox (storage/outbox.py) stores `OutMessage`s
in the same transaction as the change they announce; the dispatcher (handlers/delivery.py)
sends them, asking `DeliveryPolicy` when a person may be disturbed and `retry_delay` how long
to wait after a failure.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from core.timing import QuietHours


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: callback data, or a link."""

    label: str
    data: str | None = None
    url: str | None = None


Buttons = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with the message (the text is then its caption)."""

    filename: str
    content: bytes
    as_photo: bool = False


@dataclass(frozen=True, slots=True)
class OutMessage:
    """One message for one chat: HTML text (or a caption), buttons, an optional file.

    `recipient_id` is the organisation it is for (None for an organiser's own chat): a
    recipient who blocked the bot is marked unreachable. `bulk` messages give way to replies
    to people who are waiting (see bot/ratelimit.py); a live round's message is not bulk.
    """

    chat_id: int
    kind: str
    text: str
    recipient_id: int | None = None
    buttons: Buttons = ()
    attachment: Attachment | None = None
    bulk: bool = True
    due_at: datetime | None = field(default=None, compare=False)

    @property
    def method(self) -> str:
        if self.attachment is None:
            return "message"
        return "photo" if self.attachment.as_photo else "document"


class Outcome(enum.Enum):
    """How Telegram answered one send, as far as delivery is concerned."""

    SENT = "sent"
    RETRY = "retry"  # 5xx, timeout, network error: not delivered (or unknown), try again
    THROTTLED = "throttled"  # 429: wait what Telegram said
    BLOCKED = "blocked"  # 403: the person blocked the bot
    REFUSED = "refused"  # 400: the message itself is wrong; retrying cannot help


# After a failure, wait 2 s, 4 s, 8 s ... up to 15 minutes; give up after about a day.
FIRST_RETRY = timedelta(seconds=2)
LONGEST_RETRY = timedelta(minutes=15)
MAX_ATTEMPTS = 100


def retry_delay(attempts: int) -> timedelta:
    """How long to wait before attempt number `attempts + 1` (exponential, capped)."""
    exponent = min(max(attempts - 1, 0), 20)
    delay: timedelta = FIRST_RETRY * (2**exponent)
    return min(delay, LONGEST_RETRY)


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """When a person may be disturbed by a message they did not ask for.

    One rule for everything the bot sends on its own: nothing during quiet hours (it waits
    for the morning, in the network's time zone), and at most `per_day` such messages a day
    (the rest waits for the next morning). Messages timed by an event (reminders, live
    rounds) and answers to what someone just did are not subject to it.
    """

    quiet: QuietHours
    zone: tzinfo

    def day_start(self, now: datetime) -> datetime:
        return self.quiet.day_start(now, self.zone)

    def hold_until(self, now: datetime, *, sent_today: int, per_day: int) -> datetime | None:
        """None if the message may go now; otherwise the moment to look at it again."""
        morning = self.quiet.next_allowed(now, self.zone)
        if morning > now:
            return morning
        if sent_today >= per_day:
            return self.quiet.next_allowed(self.day_start(now) + timedelta(days=1), self.zone)
        return None
