"""`python -m sandbox` (or `make run` without a token): the bot, offline, in your terminal.

It starts the Bot API stand-in on 127.0.0.1, the unmodified bot pointed at it, and a chat in
which you play one or several users: type text, press buttons by number, switch user.
"""

from __future__ import annotations

import asyncio
import html
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from bot import logs
from bot.app import build_application, running
from bot.clock import system_clock
from bot.settings import Settings, load_or_exit
from sandbox.demo import DEMO, seed
from sandbox.standin import VISIBLE, BotApiStandIn, ChatMessage, Event
from storage import organisations
from storage.db import Database

# The sandbox's organiser (unless ORGANISER_IDS names others): `:user 1000` to act as them.
ORGANISER = 1000

HELP = f"""Commands:
  <text>            send a message as the current user (e.g. /start); digits are text too
  #<n>              press button [#n]: any button still on screen, not only the last ones
  k<n>              tap key [k<n>] of the keyboard under the text field (📱 shares a number)
  :users            list users          :user <id|name>   speak as another user (and see
                                                            what they received meanwhile)
  :new <name> [en]  a new user, with an id no one has used
  :sticker  :photo  send a sticker or a photo
  :block / :unblock the current user blocks (or unblocks) the bot
  :help             this help            :quit             leave
Acting as the network's organiser: `:user {ORGANISER}` (Olivia), then /newevent, /events and
/pipeline. Set ORGANISER_IDS to choose other organisers."""

BOLD, ITALIC, DIM, RESET = "\033[1m", "\033[3m", "\033[2m", "\033[0m"


def render(message: ChatMessage, numbers: list[int]) -> str:
    """A bot message for a terminal: bold and italics kept, buttons numbered [#n]."""
    if message.html is not None:
        text = re.sub(r"<(b|strong)>", BOLD, message.html)
        text = re.sub(r"<(i|em)>", ITALIC, text)
        text = re.sub(r"</(b|strong|i|em)>", RESET, text)
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
    else:
        text = message.text
    if message.document is not None:
        text = f"📎 {message.document[0]} ({len(message.document[1])} bytes)\n{text}"
    if message.photo is not None:
        text = f"🖼️ picture ({len(message.photo)} bytes)\n{text}"
    lines = [f"🤖 {line}" for line in text.splitlines() or [""]]
    for number, (label, _) in zip(numbers, message.buttons, strict=True):
        lines.append(f"   [#{number}] {label}")
    return "\n".join(lines)


class TerminalChat:
    """The person at the terminal, playing one user at a time."""

    def __init__(self, standin: BotApiStandIn, out: Callable[[str], None] = print) -> None:
        self.standin = standin
        self.out = out
        self.current = standin.user(1001, "Marie", language_code="fr")
        # Per user: how many of their chat's events were shown, and the numbered buttons.
        self._shown: dict[int, int] = {}
        self._buttons: dict[int, tuple[int, int, str]] = {}  # n → (user, message, data)
        self._next_button = 1
        self._last_other: dict[int, int] = {}
        # The keyboard under the text field (Telegram's reply keyboard), as last printed.
        self._keyboard_shown: dict[int, object] = {}

    def _events_of(self, user_id: int) -> list[Event]:
        return [e for e in self.standin.chat_events(user_id) if e.method in VISIBLE]

    async def show_new(self) -> None:
        """Print what changed in the current chat; mention messages for other users."""
        mine = self._events_of(self.current.id)
        fresh = mine[self._shown.get(self.current.id, 0) :]
        self._shown[self.current.id] = len(mine)
        seen: set[int] = set()
        for event in fresh:
            if event.message_id is None or event.message_id in seen:
                continue
            seen.add(event.message_id)
            for message in self.current.messages:
                if message.message_id == event.message_id:
                    if event.method.startswith("edit"):
                        self.out(f"{DIM}(edited){RESET}")
                    self.out(render(message, self._number(message)))
        self._show_keyboard()
        for user in self.standin.users.values():
            if user is self.current:
                continue
            waiting = len(self._events_of(user.id)) - self._shown.get(user.id, 0)
            if waiting > self._last_other.get(user.id, 0):
                self.out(f"{DIM}📨 {waiting} new for {user.first_name} (:user {user.id}){RESET}")
            self._last_other[user.id] = waiting

    def _keys(self) -> list[dict[str, object]]:
        markup = self.standin.keyboards.get(self.current.id) or {}
        rows = markup.get("keyboard", [])
        return [key for row in rows for key in row if isinstance(key, dict)]

    def _show_keyboard(self) -> None:
        """Telegram shows a reply keyboard under the text field until it is removed: print it
        when it appears or changes."""
        keys = self._keys()
        if keys == self._keyboard_shown.get(self.current.id):
            return
        self._keyboard_shown[self.current.id] = keys
        if keys:
            labels = "  ".join(f"[k{n}] {key.get('text')}" for n, key in enumerate(keys, 1))
            self.out(f"⌨️  {labels}")

    async def tap_key(self, number: int) -> None:
        """A key of the reply keyboard: its text is sent, or (📱) the user's own number."""
        keys = self._keys()
        if not 1 <= number <= len(keys):
            self.out(f"No key k{number} under {self.current.first_name}'s text field.")
            return
        key = keys[number - 1]
        if key.get("request_contact"):
            await self.current.share_contact(f"+352 621 {self.current.id % 1000:03d} 456")
        else:
            await self.current.send(str(key.get("text")))

    def _number(self, message: ChatMessage) -> list[int]:
        numbers = []
        for _, data in message.buttons:
            self._buttons[self._next_button] = (self.current.id, message.message_id, data)
            numbers.append(self._next_button)
            self._next_button += 1
        return numbers

    async def act(self, line: str) -> bool:
        """Carry out one line typed by the person; False to quit."""
        if line in (":quit", ":q"):
            return False
        try:
            if line == ":help":
                self.out(HELP)
            elif line == ":users":
                for user in self.standin.users.values():
                    here = " ← you" if user is self.current else ""
                    self.out(f"  {user.id}  {user.first_name} ({user.language_code}){here}")
            elif line.startswith(":user "):
                self.switch(line.removeprefix(":user ").strip())
            elif line.startswith(":new "):
                parts = line.split()
                lang = parts[2] if len(parts) > 2 else "fr"
                new_id = max(self.standin.users) + 1
                self.current = self.standin.user(new_id, parts[1], language_code=lang)
                self.out(f"You are now {self.current.first_name} (id {new_id}). Try /start.")
            elif line == ":sticker":
                await self.current.send_sticker()
            elif line == ":photo":
                await self.current.send_photo()
            elif line == ":block":
                self.standin.block(self.current.id)
                self.out("Blocked: the bot now gets 403 when writing to this user.")
            elif line == ":unblock":
                self.standin.blocked.discard(self.current.id)
            elif re.fullmatch(r"#\d+", line):
                await self.press(int(line[1:]))
            elif re.fullmatch(r"k\d+", line):
                await self.tap_key(int(line[1:]))
            elif line:
                await self.current.send(line)
        except AssertionError as problem:
            self.out(f"{DIM}(no answer yet: {str(problem)[:120]}){RESET}")
        # A reply can be several messages (a notice, then the question): let them all arrive.
        await asyncio.sleep(0.3)
        await self.show_new()
        return True

    async def press(self, number: int) -> None:
        user_id, message_id, data = self._buttons.get(number, (0, 0, ""))
        mine = self.current.messages if user_id == self.current.id else []
        message = next((m for m in mine if m.message_id == message_id), None)
        # A button still on screen: its message is in this chat and still carries it.
        if message is None or data not in [d for _, d in message.buttons]:
            self.out(f"No button #{number} on {self.current.first_name}'s screen.")
            return
        query_id = self.standin.push_callback(self.current, message, data)
        await self.standin.wait_for(lambda: query_id in self.standin.callback_answers, 10)
        answer = self.standin.callback_answers[query_id].get("text")
        if answer:
            self.out(f"{DIM}🔔 {answer}{RESET}")

    def switch(self, who: str) -> None:
        for user in self.standin.users.values():
            if who in (str(user.id), user.first_name.lower(), user.first_name):
                self.current = user
                self.out(f"You are now {user.first_name} (id {user.id}).")
                return
        self.out(f"No user {who!r}; :users lists them.")


async def run(settings: Settings) -> None:
    standin = BotApiStandIn()
    await standin.start()
    for profile in DEMO:
        name = profile.contact.name.split()[0]
        standin.user(profile.owner_user_id, name, language_code=profile.language)
    standin.user(ORGANISER, "Olivia", language_code="fr")
    sandbox_settings = settings.model_copy(
        update={
            "telegram_api_base_url": standin.base_url,
            "database_path": Path(os.environ.get("SANDBOX_DATABASE_PATH", "data/sandbox.sqlite3")),
            "poll_timeout": 5,
            "organiser_ids": settings.organiser_ids or frozenset({ORGANISER}),
        }
    )
    db = await Database.open(sandbox_settings.database_path)
    added = await seed(db, system_clock())
    # People registered in earlier sandbox sessions come back, so `:new` never reuses an id.
    for org in await organisations.list_all(db):
        standin.user(
            org.owner_user_id, org.contact.name.split()[0] or "User", language_code=org.language
        )
    app = build_application(sandbox_settings, db, standin.token)
    chat = TerminalChat(standin)
    try:
        async with running(app, poll_timeout=sandbox_settings.poll_timeout):
            print(f"Passerelle sandbox — Bot API stand-in at {standin.base_url}")
            print(f"Database: {sandbox_settings.database_path} ({added} demo organisations added)")
            print(f"You are {chat.current.first_name} (id {chat.current.id}). Try /start.\n")
            print(HELP)
            while True:
                try:
                    line = await asyncio.to_thread(input, f"\n[{chat.current.first_name}] > ")
                except EOFError:
                    break
                if not await chat.act(line.strip()):
                    break
    finally:
        await db.close()
        await standin.stop()


def main() -> int:
    settings = load_or_exit()
    logs.configure("WARNING", [])
    asyncio.run(run(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
