"""The command menu: everyone's, and the organisers' own."""

from __future__ import annotations

from pathlib import Path

from sandbox.standin import BotApiStandIn
from tests.harness import bot_running


async def test_organisers_see_their_commands_in_their_own_menu(
    standin: BotApiStandIn, db_path: Path
) -> None:
    """The public menu has no organiser command; an organiser's chat gets a menu with
    /newevent, /events, /pipeline and the console, in French; a configured organiser who never
    opened the bot just keeps the public menu (and the bot starts anyway)."""
    standin.user(7_777, "Olivia")
    async with bot_running(standin, db_path, organiser_ids="7777,8888"):
        public = {c["command"] for c in standin.commands["default:fr"]}
        assert "newevent" not in public
        assert "matches" in public
        mine = standin.commands["chat:7777:"]
        names = [c["command"] for c in mine]
        assert {"newevent", "events", "pipeline", "stats", "export", "broadcast"} <= set(names)
        assert names[: len(public)] == [c["command"] for c in standin.commands["default:fr"]]
        assert any("organisateurs" in c["description"] for c in mine)
        assert "chat:8888:" not in standin.commands
