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
from pathlib import Path

from bot import logs
from bot.app import build_application, running
from bot.clock import system_clock
from bot.settings import Settings, load_or_exit
from sandbox.demo import DEMO, seed
from sandbox.standin import VISIBLE, BotApiStandIn, ChatMessage
from storage.db import Database

HELP = """Commands:
  <text>            send a message as the current user (e.g. /start)
  <n>               press button n of the last message that has buttons
  :users            list users          :user <id|name>   speak as another user
  :new <name> [en]  a new user           :sticker  :photo  send a sticker or a photo
  :block / :unblock the current user blocks (or unblocks) the bot
  :help             this help            :quit             leave"""

BOLD, ITALIC, DIM, RESET = "\033[1m", "\033[3m", "\033[2m", "\033[0m"


def render(message: ChatMessage) -> str:
    """A bot message for a terminal: bold and italics kept, buttons numbered."""
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
    for number, (label, _) in enumerate(message.buttons, start=1):
        lines.append(f"   [{number}] {label}")
    return "\n".join(lines)


class TerminalChat:
    def __init__(self, standin: BotApiStandIn) -> None:
        self.standin = standin
        self.current = standin.user(1001, "Marie", language_code="fr")
        self._printed = 0

    async def show_new(self) -> None:
        """Print what changed in the current chat; mention messages for other users."""
        events = self.standin.events[self._printed :]
        self._printed += len(events)
        seen: set[int] = set()
        for event in events:
            if event.method not in VISIBLE or event.chat_id is None:
                continue
            if event.chat_id != self.current.id:
                other = self.standin.users[event.chat_id]
                print(f"{DIM}📨 new message for {other.first_name} (:user {other.id}){RESET}")
                continue
            if event.message_id in seen:
                continue
            seen.add(event.message_id or 0)
            for message in self.current.messages:
                if message.message_id == event.message_id:
                    edited = " (edited)" if event.method.startswith("edit") else ""
                    print(f"{DIM}{edited}{RESET}" if edited else "", end="")
                    print(render(message))

    async def act(self, line: str) -> bool:
        """Carry out one line typed by the person; False to quit."""
        if line in (":quit", ":q"):
            return False
        try:
            if line == ":help":
                print(HELP)
            elif line == ":users":
                for user in self.standin.users.values():
                    here = " ← you" if user is self.current else ""
                    print(f"  {user.id}  {user.first_name} ({user.language_code}){here}")
            elif line.startswith(":user "):
                self.switch(line.removeprefix(":user ").strip())
            elif line.startswith(":new "):
                parts = line.split()
                lang = parts[2] if len(parts) > 2 else "fr"
                new_id = max(self.standin.users) + 1
                self.current = self.standin.user(new_id, parts[1], language_code=lang)
                print(f"You are now {self.current.first_name} (id {new_id}). Try /start.")
            elif line == ":sticker":
                await self.current.send_sticker()
            elif line == ":photo":
                await self.current.send_photo()
            elif line == ":block":
                self.standin.block(self.current.id)
                print("Blocked: the bot now gets 403 when writing to this user.")
            elif line == ":unblock":
                self.standin.blocked.discard(self.current.id)
            elif line.isdigit():
                await self.press(int(line))
            elif line:
                await self.current.send(line)
        except AssertionError as problem:
            print(f"{DIM}(no answer yet: {str(problem)[:120]}){RESET}")
        # A reply can be several messages (a notice, then the question): let them all arrive.
        await asyncio.sleep(0.3)
        await self.show_new()
        return True

    async def press(self, number: int) -> None:
        try:
            message = self.current.last_with_buttons()
        except AssertionError:
            print("No buttons to press.")
            return
        if not 1 <= number <= len(message.buttons):
            print(f"Pick a button between 1 and {len(message.buttons)}.")
            return
        query_id = self.standin.push_callback(self.current, message, message.buttons[number - 1][1])
        await self.standin.wait_for(lambda: query_id in self.standin.callback_answers, 10)
        answer = self.standin.callback_answers[query_id].get("text")
        if answer:
            print(f"{DIM}🔔 {answer}{RESET}")

    def switch(self, who: str) -> None:
        for user in self.standin.users.values():
            if who in (str(user.id), user.first_name.lower(), user.first_name):
                self.current = user
                print(f"You are now {user.first_name} (id {user.id}).")
                return
        print(f"No user {who!r}; :users lists them.")


async def run(settings: Settings) -> None:
    standin = BotApiStandIn()
    await standin.start()
    for profile in DEMO:
        name = profile.contact.name.split()[0]
        standin.user(profile.owner_user_id, name, language_code=profile.language)
    sandbox_settings = settings.model_copy(
        update={
            "telegram_api_base_url": standin.base_url,
            "database_path": Path(os.environ.get("SANDBOX_DATABASE_PATH", "data/sandbox.sqlite3")),
            "poll_timeout": 5,
        }
    )
    db = await Database.open(sandbox_settings.database_path)
    added = await seed(db, system_clock())
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
