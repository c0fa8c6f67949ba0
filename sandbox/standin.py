"""A local stand-in for the Telegram Bot API, speaking its real HTTP protocol.

The unmodified bot talks to it through `TELEGRAM_API_BASE_URL`. It checks every request
against the official method list (telegram-bot-api.json, see ATTRIBUTION.md), keeps each chat's
messages as a phone would show them, and answers like Telegram does, errors included:
400 for HTML that does not parse, a text over 4096 UTF-16 code units once its HTML is parsed (a
caption over 1024), button data over 64 bytes or more than 100 buttons (requests over a limit
are also recorded as violations, so a bot that swallows the error still fails its test),
403 for a user who blocked the bot, 429 with `retry_after` when asked to fail.

Updates reach the bot by long polling (getUpdates) or, once the bot called setWebhook, as
Telegram does in webhook mode: each update is POSTed in order to the webhook's URL with the
secret in `X-Telegram-Bot-Api-Secret-Token`, retried until the bot answers 200 (failures show
in getWebhookInfo's last_error_*), and getUpdates answers 409 until deleteWebhook.

Simulated users (`SimUser`) type text, press buttons and send stickers; tests and the terminal
chat use them to drive the bot as a person would.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from sandbox.telegram_html import HtmlError, parse, utf16_length

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_CALLBACK_ANSWER = 200
MAX_BUTTONS = 100
MAX_DESCRIPTION = 512
MAX_SHORT_DESCRIPTION = 120
# Telegram ignores parameters a method does not take. python-telegram-bot, given
# Defaults(parse_mode=...), sends `parse_mode` with editMessageReplyMarkup too (its shared
# `_send_message` fills it in); the stand-in accepts that one quirk and refuses any other
# unknown parameter, so that a typo in the bot cannot go unnoticed.
_SENT_BY_PTB_DEFAULTS = frozenset({("editMessageReplyMarkup", "parse_mode")})
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# The methods whose calls count as "the bot showed something in a chat".
VISIBLE = frozenset(
    {"sendMessage", "editMessageText", "editMessageReplyMarkup", "sendDocument", "sendPhoto"}
)
# The calls that a fault plan may fail (sending and editing, as Telegram's flood control does).
FAULTABLE = VISIBLE
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")


def load_spec() -> dict[str, Any]:
    text = resources.files("sandbox").joinpath("telegram-bot-api.json").read_text("utf-8")
    spec = json.loads(text)
    assert isinstance(spec, dict)
    return spec


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


@dataclass
class FaultPlan:
    """Fail a share of send/edit calls, as a busy Telegram does."""

    rate: float
    statuses: tuple[int, ...] = (429, 500)
    retry_after: int = 1
    seed: int = 7
    rng: random.Random = field(init=False)

    injected: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def maybe_fail(self) -> ApiError | None:
        if self.rng.random() >= self.rate:
            return None
        status = self.rng.choice(self.statuses)
        self.injected[status] = self.injected.get(status, 0) + 1
        if status == 429:
            return ApiError(
                429,
                f"Too Many Requests: retry after {self.retry_after}",
                {"retry_after": self.retry_after},
            )
        return ApiError(status, "Internal Server Error")


@dataclass
class TargetedFault:
    """Fail the next `count` calls of `methods` to one chat with `status` (a test's fault)."""

    chat_id: int
    status: int
    count: int = 1
    methods: frozenset[str] = VISIBLE
    retry_after: int = 1

    def error(self) -> ApiError:
        if self.status == 429:
            return ApiError(
                429,
                f"Too Many Requests: retry after {self.retry_after}",
                {"retry_after": self.retry_after},
            )
        if self.status == 403:
            return ApiError(403, "Forbidden: bot was blocked by the user")
        if self.status == 400:
            return bad_request("can't parse entities: unsupported start tag")
        return ApiError(self.status, "Internal Server Error")


@dataclass
class ChatMessage:
    """A message as the user's phone shows it now (edits applied)."""

    message_id: int
    chat_id: int
    from_bot: bool
    text: str
    html: str | None = None
    reply_markup: dict[str, Any] | None = None
    document: tuple[str, bytes] | None = None
    photo: bytes | None = None
    date: int = field(default_factory=lambda: int(time.time()))
    # Who wrote it, in a group (in a private chat, the chat is the person).
    sender_id: int | None = None

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback data) of every inline button, row by row."""
        if not self.reply_markup:
            return []
        return [
            (button["text"], button.get("callback_data", ""))
            for row in self.reply_markup.get("inline_keyboard", [])
            for button in row
        ]


@dataclass(frozen=True)
class Event:
    seq: int
    method: str
    chat_id: int | None
    message_id: int | None
    callback_query_id: str | None
    at: float


@dataclass
class SimUser:
    """A person on their phone: types, presses buttons, reads what the bot sent."""

    standin: BotApiStandIn
    id: int
    first_name: str
    language_code: str | None = "fr"
    username: str | None = None
    # Seconds from each action to the bot's first visible answer (for the benchmarks).
    latencies: list[float] = field(default_factory=list)
    # A person's pace: seconds of reading and typing before each action (none in tests).
    pace: tuple[float, float] | None = None
    rng: random.Random = field(default_factory=random.Random)

    async def _think(self) -> None:
        if self.pace is not None:
            await asyncio.sleep(self.rng.uniform(*self.pace))

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            data["language_code"] = self.language_code
        if self.username:
            data["username"] = self.username
        return data

    @property
    def messages(self) -> list[ChatMessage]:
        return self.standin.chat(self.id)

    @property
    def bot_messages(self) -> list[ChatMessage]:
        return [m for m in self.messages if m.from_bot]

    @property
    def last(self) -> ChatMessage:
        return self.bot_messages[-1]

    def last_with_buttons(self) -> ChatMessage:
        for message in reversed(self.bot_messages):
            if message.buttons:
                return message
        raise AssertionError("no message with buttons in this chat")

    async def send(self, text: str, *, expect: int = 1, timeout: float = 10) -> list[ChatMessage]:
        """Type a message; returns what the bot showed in reply (at least `expect` messages)."""
        await self._think()
        mark, started = self.standin.event_count, time.perf_counter()
        self.standin.push_message(self, text=text)
        shown = await self.standin.wait_for_chat(self.id, mark, expect=expect, timeout=timeout)
        self._time(mark, started)
        return shown

    def _time(self, mark: int, started: float) -> None:
        first = next(e for e in self.standin.chat_events(self.id) if e.seq >= mark)
        self.latencies.append(first.at - started)

    async def send_in_group(
        self, group_id: int, text: str, *, expect: int = 1, timeout: float = 10
    ) -> list[ChatMessage]:
        """Type a message in a group the bot is in; returns what the bot showed there."""
        mark = self.standin.event_count
        self.standin.push_group_message(self, group_id, text)
        return await self.standin.wait_for_chat(group_id, mark, expect=expect, timeout=timeout)

    async def send_sticker(self, *, expect: int = 1) -> list[ChatMessage]:
        mark = self.standin.event_count
        self.standin.push_message(
            self,
            sticker={
                "file_id": "CAACAgIAAxkBAAEBsticker",
                "file_unique_id": "AgADsticker",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": "👍",
            },
        )
        return await self.standin.wait_for_chat(self.id, mark, expect=expect)

    async def share_contact(
        self, phone: str, *, user_id: int | None = None, expect: int = 1
    ) -> list[ChatMessage]:
        """Tap Telegram's "share my phone number" (or forward someone's card: `user_id`)."""
        mark = self.standin.event_count
        self.standin.push_message(
            self,
            contact={
                "phone_number": phone,
                "first_name": self.first_name,
                "user_id": self.id if user_id is None else user_id,
            },
        )
        return await self.standin.wait_for_chat(self.id, mark, expect=expect)

    async def send_photo(self, *, expect: int = 1) -> list[ChatMessage]:
        mark = self.standin.event_count
        self.standin.push_message(
            self,
            photo=[{"file_id": "AgACAgphoto", "file_unique_id": "AQADphoto", "width": 90,
                    "height": 90}],
        )  # fmt: skip
        return await self.standin.wait_for_chat(self.id, mark, expect=expect)

    async def press(
        self,
        label: str | None = None,
        *,
        data: str | None = None,
        message: ChatMessage | None = None,
        expect: int = 1,
        timeout: float = 10,
    ) -> list[ChatMessage]:
        """Press the button whose label contains `label` (or whose data is `data`) and wait for
        the bot to answer the press and show `expect` messages."""
        await self._think()
        target = message or self.last_with_buttons()
        if data is None:
            matches = [d for text, d in target.buttons if label is not None and label in text]
            if len(matches) != 1:
                raise AssertionError(f"{len(matches)} buttons match {label!r}: {target.buttons}")
            data = matches[0]
        mark, started = self.standin.event_count, time.perf_counter()
        query_id = self.standin.push_callback(self, target, data)
        shown = await self.standin.wait_for_chat(
            self.id, mark, expect=expect, timeout=timeout, callback_query_id=query_id
        )
        self._time(mark, started)
        return shown

    def answer_to(self, query_id: str) -> dict[str, Any] | None:
        return self.standin.callback_answers.get(query_id)


class BotApiStandIn:
    """The HTTP server plus the world it simulates (users, chats, updates)."""

    def __init__(self, *, token: str = "123456:TEST-token_for-the-stand-in", strict: bool = True):
        self.token = token
        self.strict = strict
        self.bot_user = {
            "id": int(token.split(":", maxsplit=1)[0]),
            "is_bot": True,
            "first_name": "Passerelle",
            "username": "passerelle_test_bot",
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.methods = {name.lower(): method for name, method in load_spec()["methods"].items()}
        self.users: dict[int, SimUser] = {}
        # Group chats the bot was added to: id (negative, as Telegram's) → title.
        self.groups: dict[int, str] = {}
        self.blocked: set[int] = set()
        self.faults: FaultPlan | None = None
        self.targeted: list[TargetedFault] = []
        # The reply keyboard each chat shows under its text field (see _check_markup).
        self.keyboards: dict[int, dict[str, Any]] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.violations: list[str] = []
        self.events: list[Event] = []
        self._chats: dict[int, list[ChatMessage]] = {}
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 100_000
        self._confirmed = 0
        self._pending_callbacks: set[str] = set()
        self._callback_ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._chat_changed: dict[int, asyncio.Condition] = {}
        self._events_by_chat: dict[int, list[Event]] = {}
        self._callback_chats: dict[str, int] = {}
        self._new_update = asyncio.Event()
        self._poll_generation = 0
        self._runner: web.AppRunner | None = None
        self.port = 0
        # Webhook mode: what setWebhook set, and how delivering to it went.
        self.webhook: dict[str, Any] | None = None
        self.webhook_deliveries = 0
        self.webhook_error: tuple[int, str] | None = None
        self._webhook_wake = asyncio.Event()
        self._webhook_task: asyncio.Task[None] | None = None
        # setMyDescription / setMyShortDescription, by language code ("" for everyone else).
        # An outage: while set, every call answers 502 Bad Gateway, as Telegram's front does.
        self.down = False
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = site._server
        assert server is not None
        sockets = getattr(server, "sockets", None)
        assert sockets
        self.port = sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self._poll_generation += 1
        self._new_update.set()
        await self._stop_webhook_delivery()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        """What to put in TELEGRAM_API_BASE_URL."""
        return f"http://127.0.0.1:{self.port}/bot"

    # --- the simulated world -----------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "Marie",
        *,
        language_code: str | None = "fr",
        username: str | None = None,
    ) -> SimUser:
        if user_id not in self.users:
            self.users[user_id] = SimUser(self, user_id, first_name, language_code, username)
            self._chats[user_id] = []
            self._message_ids[user_id] = itertools.count(1)
        return self.users[user_id]

    def group(self, group_id: int, title: str = "Réseau des partenaires") -> int:
        """A group chat with the bot in it (people write there with `send_in_group`)."""
        if group_id not in self.groups:
            self.groups[group_id] = title
            self._chats[group_id] = []
            self._message_ids[group_id] = itertools.count(1)
        return group_id

    def chat(self, chat_id: int) -> list[ChatMessage]:
        return self._chats.get(chat_id, [])

    def block(self, user_id: int) -> None:
        self.blocked.add(user_id)

    @property
    def event_count(self) -> int:
        return len(self.events)

    @property
    def pending_updates(self) -> int:
        return sum(1 for u in self._updates if u["update_id"] >= self._confirmed)

    def _chat_json(self, user: SimUser) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": user.id, "type": "private", "first_name": user.first_name}
        if user.username:
            chat["username"] = user.username
        return chat

    def _message_json(self, message: ChatMessage) -> dict[str, Any]:
        if message.chat_id in self.groups:
            chat = {"id": message.chat_id, "type": "group", "title": self.groups[message.chat_id]}
            author = self.users[message.sender_id] if message.sender_id is not None else None
        else:
            author = self.users[message.chat_id]
            chat = self._chat_json(author)
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "date": message.date,
            "chat": chat,
        }
        if message.from_bot:
            data["from"] = self.bot_user
        elif author is not None:
            data["from"] = author.as_json()
        if message.document is not None:
            data["document"] = {
                "file_id": f"doc-{message.message_id}",
                "file_unique_id": f"udoc-{message.message_id}",
                "file_name": message.document[0],
                "file_size": len(message.document[1]),
            }
            if message.text:
                data["caption"] = message.text
        elif message.photo is not None:
            mid = message.message_id
            data["photo"] = [
                {"file_id": f"ph-{mid}", "file_unique_id": f"uph-{mid}", "width": 800,
                 "height": 800, "file_size": len(message.photo)}
            ]  # fmt: skip
            if message.text:
                data["caption"] = message.text
        else:
            data["text"] = message.text
        if message.reply_markup:
            data["reply_markup"] = message.reply_markup
        return data

    def _push_update(self, payload: dict[str, Any]) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        self._updates.append({"update_id": update_id, **payload})
        self._new_update.set()
        self._webhook_wake.set()
        return update_id

    def push_message(
        self, user: SimUser, *, text: str | None = None, sender: bool = True, **content: Any
    ) -> None:
        """What Telegram does when the user sends something: store it, queue an update.
        `sender=False` leaves out the `from` field, as some service messages do."""
        message_id = next(self._message_ids[user.id])
        chat_message = ChatMessage(message_id, user.id, from_bot=False, text=text or "")
        self._chats[user.id].append(chat_message)
        data = self._message_json(chat_message)
        if not sender:
            del data["from"]
        if text is None:
            del data["text"]
            data.update(content)
        elif text.startswith("/"):
            command = text.split()[0]
            data["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        self._push_update({"message": data})

    def push_group_message(self, user: SimUser, group_id: int, text: str) -> None:
        """Someone writes in a group the bot is in."""
        message_id = next(self._message_ids[group_id])
        chat_message = ChatMessage(message_id, group_id, False, text, sender_id=user.id)
        self._chats[group_id].append(chat_message)
        data = self._message_json(chat_message)
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            data["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        self._push_update({"message": data})

    def push_callback(self, user: SimUser, message: ChatMessage, data: str) -> str:
        query_id = str(next(self._callback_ids) * 7919 + 424242)
        self._pending_callbacks.add(query_id)
        self._callback_chats[query_id] = user.id
        self._push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user.as_json(),
                    "message": self._message_json(message),
                    "chat_instance": f"ci-{user.id}",
                    "data": data,
                }
            }
        )
        return query_id

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10) -> None:
        """Wait until `predicate` holds, re-checked after every recorded event."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    def chat_events(self, chat_id: int) -> list[Event]:
        return self._events_by_chat.get(chat_id, [])

    async def wait_for_chat(
        self,
        chat_id: int,
        mark: int,
        *,
        expect: int = 1,
        timeout: float = 10,
        callback_query_id: str | None = None,
    ) -> list[ChatMessage]:
        """Wait until the bot showed `expect` messages in the chat since event `mark` (and
        answered the button press, if any); return those messages as they look now."""

        def visible() -> list[Event]:
            return [e for e in self.chat_events(chat_id) if e.seq >= mark and e.method in VISIBLE]

        def done() -> bool:
            answered = callback_query_id is None or callback_query_id in self.callback_answers
            return answered and len(visible()) >= expect

        # Each chat has its own condition: with hundreds of users waiting at once, an event
        # wakes only the user it concerns.
        condition = self._chat_changed.setdefault(chat_id, asyncio.Condition())
        try:
            async with condition:
                await asyncio.wait_for(condition.wait_for(done), timeout)
        except TimeoutError:
            shown = [m.text[:200] for m in self.chat(chat_id)[-3:]]
            raise AssertionError(
                f"the bot showed {len(visible())} of {expect} expected messages in chat "
                f"{chat_id} within {timeout}s; last messages: {shown}; "
                f"violations: {self.violations}"
            ) from None
        ids = list(dict.fromkeys(e.message_id for e in visible()))
        by_id = {m.message_id: m for m in self.chat(chat_id)}
        return [by_id[i] for i in ids if i in by_id]

    async def _record(
        self,
        method: str,
        chat_id: int | None = None,
        message_id: int | None = None,
        callback_query_id: str | None = None,
    ) -> None:
        if chat_id is None and callback_query_id is not None:
            chat_id = self._callback_chats.get(callback_query_id)
        event = Event(
            len(self.events), method, chat_id, message_id, callback_query_id, time.perf_counter()
        )
        self.events.append(event)
        if chat_id is not None:
            self._events_by_chat.setdefault(chat_id, []).append(event)
            condition = self._chat_changed.get(chat_id)
            if condition is not None:
                async with condition:
                    condition.notify_all()
        async with self._changed:
            self._changed.notify_all()

    # --- HTTP --------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if self.down:
            return web.json_response(
                {"ok": False, "error_code": 502, "description": "Bad Gateway"}, status=502
            )
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        name = request.match_info["method"]
        spec = self.methods.get(name.lower())
        if spec is None:
            self.violations.append(f"unknown method {name}")
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        try:
            params = await self._params(request, spec)
            self.requests.append((spec["name"], params))
            result = await self._dispatch(spec["name"], params)
        except ApiError as error:
            return web.json_response(error.body(), status=error.code)
        return web.json_response({"ok": True, "result": result})

    async def _params(self, request: web.Request, spec: dict[str, Any]) -> dict[str, Any]:
        raw: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                raw.update(body)
        elif request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    raw[key] = (value.filename, value.file.read())
                else:
                    raw[key] = value
        fields = {f["name"]: f for f in spec.get("fields", [])}
        params: dict[str, Any] = {}
        for key, value in raw.items():
            if key not in fields and (spec["name"], key) not in _SENT_BY_PTB_DEFAULTS:
                # Telegram ignores unknown parameters; the stand-in refuses them so that a typo
                # in the bot cannot go unnoticed.
                self.violations.append(f"{spec['name']}: unknown parameter {key}")
                if self.strict:
                    raise bad_request(f"unknown parameter {key} for method {spec['name']}")
            if key in fields:
                params[key] = _decode(value, fields[key].get("types", []))
        for name, field_spec in fields.items():
            if field_spec.get("required") and name not in params:
                self.violations.append(f"{spec['name']}: missing {name}")
                raise bad_request(f"{name} is empty")
        return params

    def fail_next(
        self,
        chat_id: int,
        status: int,
        *,
        count: int = 1,
        methods: frozenset[str] = VISIBLE,
        retry_after: int = 1,
    ) -> TargetedFault:
        """The next `count` sends (or edits) to this chat fail with `status`."""
        fault = TargetedFault(chat_id, status, count, methods, retry_after)
        self.targeted.append(fault)
        return fault

    async def _dispatch(self, method: str, p: dict[str, Any]) -> Any:
        for target in self.targeted:
            if target.count > 0 and method in target.methods and p.get("chat_id") == target.chat_id:
                target.count -= 1
                await self._record(f"failed:{method}", target.chat_id)
                raise target.error()
        if method in FAULTABLE and self.faults is not None:
            fault = self.faults.maybe_fail()
            if fault is not None:
                raise fault
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            self.violations.append(f"method {method} is not simulated by the stand-in")
            raise bad_request(f"method {method} is not simulated by the stand-in")
        return await handler(p)

    # --- methods -----------------------------------------------------------------------------

    async def _m_getMe(self, p: dict[str, Any]) -> Any:  # noqa: N802
        return self.bot_user

    async def _m_setWebhook(self, p: dict[str, Any]) -> Any:  # noqa: N802
        url = str(p.get("url") or "")
        if not url:  # an empty URL removes the webhook, as deleteWebhook does
            return await self._m_deleteWebhook(p)
        # Telegram wants HTTPS on a public address; the stand-in takes plain HTTP on this
        # machine only (the bot's own webhook server, behind no proxy in tests).
        host = urlsplit(url).hostname or ""
        if not url.startswith("https://") and host not in ("127.0.0.1", "localhost"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.get("secret_token")
        if secret is not None and not _SECRET_TOKEN.match(str(secret)):
            raise bad_request("secret token contains unallowed characters")
        if p.get("drop_pending_updates"):
            self._drop_pending()
        self.webhook = {"url": url, "secret_token": secret, **p}
        self.webhook_error = None
        # A poll in progress ends, as Telegram's does when a webhook is set.
        self._poll_generation += 1
        self._new_update.set()
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.create_task(self._deliver_webhook(), name="webhook")
        self._webhook_wake.set()
        return True

    async def _m_deleteWebhook(self, p: dict[str, Any]) -> Any:  # noqa: N802
        if p.get("drop_pending_updates"):
            self._drop_pending()
        self.webhook = None
        await self._stop_webhook_delivery()
        return True

    def _drop_pending(self) -> None:
        self._confirmed = self._next_update_id
        self._updates = []

    async def _m_getWebhookInfo(self, p: dict[str, Any]) -> Any:  # noqa: N802
        info: dict[str, Any] = {
            "url": self.webhook["url"] if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": self.pending_updates,
        }
        if self.webhook is not None:
            info["max_connections"] = int(self.webhook.get("max_connections") or 40)
            if self.webhook.get("allowed_updates"):
                info["allowed_updates"] = self.webhook["allowed_updates"]
        if self.webhook_error is not None:
            info["last_error_date"], info["last_error_message"] = self.webhook_error
        return info

    async def _stop_webhook_delivery(self) -> None:
        task, self._webhook_task = self._webhook_task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _deliver_webhook(self) -> None:
        """POST each pending update to the webhook, in order, until the bot takes it."""
        async with aiohttp.ClientSession() as session:
            while self.webhook is not None:
                self._webhook_wake.clear()
                pending = [u for u in self._updates if u["update_id"] >= self._confirmed]
                if not pending:
                    await self._webhook_wake.wait()
                    continue
                update = pending[0]
                if await self._post_update(session, self.webhook, update):
                    self._confirmed = update["update_id"] + 1
                    self._updates = [u for u in self._updates if u["update_id"] >= self._confirmed]
                    self.webhook_deliveries += 1
                    await self._record("webhook")
                else:
                    await self._record("failed:webhook")
                    # Telegram backs off for longer; the stand-in tries again soon.
                    await asyncio.sleep(0.2)

    async def _post_update(
        self, session: aiohttp.ClientSession, webhook: dict[str, Any], update: dict[str, Any]
    ) -> bool:
        headers = {}
        if webhook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = str(webhook["secret_token"])
        try:
            async with session.post(
                webhook["url"], json=update, headers=headers, timeout=aiohttp.ClientTimeout(10)
            ) as response:
                if response.status == 200:
                    return True
                problem = f"Wrong response from the webhook: {response.status} {response.reason}"
        except (aiohttp.ClientError, TimeoutError) as error:
            problem = f"Connection failed: {type(error).__name__}"
        self.webhook_error = (int(time.time()), problem)
        return False

    async def _m_close(self, p: dict[str, Any]) -> Any:
        return True

    async def _m_logOut(self, p: dict[str, Any]) -> Any:  # noqa: N802
        return True

    async def _m_getUpdates(self, p: dict[str, Any]) -> Any:  # noqa: N802
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        offset = int(p.get("offset") or 0)
        limit = max(1, min(100, int(p.get("limit") or 100)))
        timeout = max(0.0, float(p.get("timeout") or 0))
        if offset > 0:
            # An update counts as received once a later getUpdates asks for a higher offset.
            self._confirmed = max(self._confirmed, offset)
            self._updates = [u for u in self._updates if u["update_id"] >= self._confirmed]
        # A newer poll ends an older one, as Telegram does ("terminated by other getUpdates").
        self._poll_generation += 1
        generation = self._poll_generation
        deadline = time.monotonic() + timeout
        while True:
            ready = [u for u in self._updates if u["update_id"] >= self._confirmed][:limit]
            if ready:
                await self._record("getUpdates")
                return ready
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return []
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), remaining)
            except TimeoutError:
                return []
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                )

    def _target_chat(self, p: dict[str, Any]) -> int:
        chat_id = p.get("chat_id")
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        if not isinstance(chat_id, int) or (
            chat_id not in self.users and chat_id not in self.groups
        ):
            raise bad_request("chat not found")
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _check_markup(self, markup: Any, chat_id: int | None = None) -> dict[str, Any] | None:
        """The inline keyboard a message carries (None otherwise). A reply keyboard (shown
        under the text field, e.g. "share my phone number") or its removal is not part of the
        message Telegram returns: it is remembered per chat in `keyboards`."""
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        rows = markup.get("inline_keyboard")
        if rows is None:
            if "keyboard" in markup:
                if not all(
                    isinstance(b, dict) and b.get("text") for r in markup["keyboard"] for b in r
                ):
                    raise bad_request("keyboard button text is empty")
                if chat_id is not None:
                    self.keyboards[chat_id] = markup
            elif markup.get("remove_keyboard") and chat_id is not None:
                self.keyboards.pop(chat_id, None)
            return None
        count = 0
        for row in rows:
            for button in row:
                count += 1
                if not button.get("text"):
                    raise bad_request("text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                size = len(str(data).encode()) if data is not None else 1
                if not 1 <= size <= MAX_CALLBACK_DATA:
                    raise self._refuse(f"button data of {size} bytes", "BUTTON_DATA_INVALID")
        if count > MAX_BUTTONS:
            raise self._refuse(f"{count} inline buttons", "reply markup is too long")
        return markup

    def _refuse(self, what: str, description: str) -> ApiError:
        """A request over one of Telegram's limits: refused as Telegram does, and recorded, so
        that the test whose bot sent it fails even when the bot swallows the error."""
        self.violations.append(f"over a limit: {what} ({description})")
        return bad_request(description)

    def _formatted(self, p: dict[str, Any], key: str, limit: int) -> tuple[str, str | None]:
        """(plain text, html source) of a text or caption, checked like Telegram does."""
        source = str(p.get(key) or "")
        mode = p.get("parse_mode")
        if mode not in (None, "", "HTML", "MarkdownV2", "Markdown"):
            raise bad_request(f"unsupported parse_mode {mode}")
        html_source = None
        text = source
        if mode == "HTML":
            try:
                parsed = parse(source)
            except HtmlError as error:
                raise bad_request(str(error)) from None
            text, html_source = parsed.text, source
        if key == "text" and not text.strip():
            raise bad_request("message text is empty")
        # Telegram counts UTF-16 code units (an emoji counts two) of the text once parsed.
        length = utf16_length(text)
        if length > limit:
            raise self._refuse(
                f"{key} of {length} UTF-16 units (max {limit})",
                "message is too long" if key == "text" else "message caption is too long",
            )
        return text, html_source

    async def _m_sendMessage(self, p: dict[str, Any]) -> Any:  # noqa: N802
        chat_id = self._target_chat(p)
        text, html_source = self._formatted(p, "text", MAX_TEXT)
        markup = self._check_markup(
            p.get("reply_markup"), p.get("chat_id") if isinstance(p.get("chat_id"), int) else None
        )
        message = ChatMessage(
            next(self._message_ids[chat_id]), chat_id, True, text, html_source, markup
        )
        self._chats[chat_id].append(message)
        await self._record("sendMessage", chat_id, message.message_id)
        return self._message_json(message)

    def _bot_message(self, p: dict[str, Any]) -> ChatMessage:
        if p.get("inline_message_id"):
            raise bad_request("inline messages are not simulated")
        chat_id = self._target_chat(p)
        message_id = p.get("message_id")
        for message in self._chats[chat_id]:
            if message.message_id == message_id:
                if not message.from_bot:
                    raise bad_request("message can't be edited")
                return message
        raise bad_request("message to edit not found")

    async def _m_editMessageText(self, p: dict[str, Any]) -> Any:  # noqa: N802
        message = self._bot_message(p)
        text, html_source = self._formatted(p, "text", MAX_TEXT)
        markup = self._check_markup(
            p.get("reply_markup"), p.get("chat_id") if isinstance(p.get("chat_id"), int) else None
        )
        if text == message.text and html_source == message.html and markup == message.reply_markup:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        message.text, message.html, message.reply_markup = text, html_source, markup
        await self._record("editMessageText", message.chat_id, message.message_id)
        return self._message_json(message)

    async def _m_editMessageReplyMarkup(self, p: dict[str, Any]) -> Any:  # noqa: N802
        message = self._bot_message(p)
        markup = self._check_markup(
            p.get("reply_markup"), p.get("chat_id") if isinstance(p.get("chat_id"), int) else None
        )
        if markup == message.reply_markup:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        message.reply_markup = markup
        await self._record("editMessageReplyMarkup", message.chat_id, message.message_id)
        return self._message_json(message)

    async def _m_deleteMessage(self, p: dict[str, Any]) -> Any:  # noqa: N802
        chat_id = self._target_chat(p)
        before = len(self._chats[chat_id])
        self._chats[chat_id] = [
            m for m in self._chats[chat_id] if m.message_id != p.get("message_id")
        ]
        if len(self._chats[chat_id]) == before:
            raise bad_request("message to delete not found")
        await self._record("deleteMessage", chat_id)
        return True

    async def _m_answerCallbackQuery(self, p: dict[str, Any]) -> Any:  # noqa: N802
        query_id = str(p.get("callback_query_id"))
        if query_id not in self._pending_callbacks:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        if len(str(p.get("text") or "")) > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        self._pending_callbacks.discard(query_id)
        self.callback_answers[query_id] = p
        await self._record("answerCallbackQuery", callback_query_id=query_id)
        return True

    async def _m_sendChatAction(self, p: dict[str, Any]) -> Any:  # noqa: N802
        self._target_chat(p)
        return True

    async def _send_file(self, p: dict[str, Any], key: str) -> ChatMessage:
        chat_id = self._target_chat(p)
        caption, html_source = self._formatted(p, "caption", MAX_CAPTION)
        markup = self._check_markup(
            p.get("reply_markup"), p.get("chat_id") if isinstance(p.get("chat_id"), int) else None
        )
        upload = p.get(key)
        if not isinstance(upload, tuple):
            raise bad_request(f"there is no {key} in the request")
        message = ChatMessage(
            next(self._message_ids[chat_id]), chat_id, True, caption, html_source, markup
        )
        if key == "document":
            message.document = (str(upload[0]), bytes(upload[1]))
        else:
            message.photo = bytes(upload[1])
        self._chats[chat_id].append(message)
        return message

    async def _m_sendDocument(self, p: dict[str, Any]) -> Any:  # noqa: N802
        message = await self._send_file(p, "document")
        await self._record("sendDocument", message.chat_id, message.message_id)
        return self._message_json(message)

    async def _m_sendPhoto(self, p: dict[str, Any]) -> Any:  # noqa: N802
        message = await self._send_file(p, "photo")
        await self._record("sendPhoto", message.chat_id, message.message_id)
        return self._message_json(message)

    async def _m_setMyCommands(self, p: dict[str, Any]) -> Any:  # noqa: N802
        commands = p.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("commands must be a list of at most 100 commands")
        for command in commands:
            if not _COMMAND.match(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._scope_key(p)
        self.commands[key] = commands
        return True

    async def _m_getMyCommands(self, p: dict[str, Any]) -> Any:  # noqa: N802
        return self.commands.get(self._scope_key(p), [])

    async def _m_deleteMyCommands(self, p: dict[str, Any]) -> Any:  # noqa: N802
        self.commands.pop(self._scope_key(p), None)
        return True

    def _scope_key(self, p: dict[str, Any]) -> str:
        """ "default:fr", or "chat:1234:" for one chat's menu (which, as on Telegram, needs a
        chat the bot knows)."""
        scope = p.get("scope") or {"type": "default"}
        if isinstance(scope, str):
            scope = json.loads(scope)
        kind = scope.get("type")
        if kind == "chat":
            chat_id = scope.get("chat_id")
            if chat_id not in self.users:
                raise bad_request("chat not found")
            kind = f"chat:{chat_id}"
        return f"{kind}:{p.get('language_code') or ''}"

    async def _m_setMyDescription(self, p: dict[str, Any]) -> Any:  # noqa: N802
        return self._set_text(p, "description", self.descriptions, MAX_DESCRIPTION)

    async def _m_setMyShortDescription(self, p: dict[str, Any]) -> Any:  # noqa: N802
        return self._set_text(
            p, "short_description", self.short_descriptions, MAX_SHORT_DESCRIPTION
        )

    async def _m_getMyDescription(self, p: dict[str, Any]) -> Any:  # noqa: N802
        return {"description": self.descriptions.get(str(p.get("language_code") or ""), "")}

    async def _m_getMyShortDescription(self, p: dict[str, Any]) -> Any:  # noqa: N802
        code = str(p.get("language_code") or "")
        return {"short_description": self.short_descriptions.get(code, "")}

    def _set_text(self, p: dict[str, Any], key: str, store: dict[str, str], limit: int) -> bool:
        """The bot's description or short description for one language (empty removes it)."""
        text = str(p.get(key) or "")
        if len(text) > limit:
            raise self._refuse(
                f"{key} of {len(text)} characters (max {limit})", "BOT_ABOUT_INVALID"
            )
        code = str(p.get("language_code") or "")
        if text:
            store[code] = text
        else:
            store.pop(code, None)
        return True


def _decode(value: Any, types: list[str]) -> Any:
    """Form fields arrive as strings; JSON-encoded unless the parameter is a plain string."""
    if not isinstance(value, str) or types == ["String"]:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value
