"""The button codec (core/buttons.py) is the only place callback data is built or parsed.

- No module of bot/, core/ or handlers/ writes callback data or a handler's pattern by hand.
- Every kind of button has its own prefix, and no two kinds' patterns take the same data.
- The data formats are the ones sent before the codec, so buttons already in chats still work.
- Pressed end to end: the console's buttons answer with their figures, a forged or stale one
  with the polite "no longer valid".
"""

from __future__ import annotations

import ast
import enum
import importlib
import itertools
import pkgutil
import re
import types
import typing
from dataclasses import fields
from pathlib import Path

import pytest
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler

from bot.app import BotApp
from core.buttons import Callback
from handlers.console_buttons import (
    AskHold,
    Audience,
    AuditOlder,
    CloseReport,
    Decision,
    EventAudience,
    ExportAll,
    ExportReport,
    Hold,
    NewsSwitch,
    RestoreOrg,
    StatsEvents,
    StatsFilter,
    ViewOrg,
)
from handlers.match_buttons import MoreMatches
from handlers.registration_buttons import (
    ProfileEdit,
)
from sandbox.standin import BotApiStandIn
from storage import moderation
from tests.harness import ORGANISER, Clock, svc

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "core", "handlers")
CODEC = ROOT / "core" / "buttons.py"


# --- nothing builds or reads callback data by hand ------------------------------------------


def _sources() -> list[Path]:
    found = [p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))]
    return [p for p in found if p != CODEC]


def _literal(node: ast.AST | None) -> bool:
    """A string written in the code: "st:p:1", f"st:p:{code}", or "st:" + code."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.BinOp):
        return _literal(node.left) or _literal(node.right)
    return False


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def hand_made(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, what) of every callback data or pattern written by hand in `tree`."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        keywords = {k.arg: k.value for k in node.keywords if k.arg is not None}
        if _literal(keywords.get("callback_data")):
            found.append((node.lineno, "callback_data= written by hand"))
        if _literal(keywords.get("pattern")):
            found.append((node.lineno, "pattern= written by hand"))
        if name == "Button" and (
            _literal(keywords.get("data")) or (len(node.args) > 1 and _literal(node.args[1]))
        ):
            found.append((node.lineno, "core.delivery.Button data written by hand"))
        if name == "CallbackQueryHandler" and len(node.args) > 1 and _literal(node.args[1]):
            found.append((node.lineno, "CallbackQueryHandler pattern written by hand"))
        # `query.data.split(":")`: reading a button by position.
        if (
            name == "split"
            and isinstance(node.func, ast.Attribute)
            and _name(node.func.value) == "data"
        ):
            found.append((node.lineno, "callback data split by hand"))
    return found


def test_the_check_sees_every_hand_made_form() -> None:
    """The check itself catches each way of writing data or a pattern by hand."""
    code = """
InlineKeyboardButton("x", callback_data="ex:x")
InlineKeyboardButton("x", callback_data=f"st:e:{code}")
InlineKeyboardButton("x", callback_data="au:" + str(n))
Button("x", "nw:off")
Button("x", data=f"m:more:{n}")
CallbackQueryHandler(news, r"^nw:(on|off)$")
CallbackQueryHandler(news, pattern="^bc:")
parts = update.callback_query.data.split(":")
InlineKeyboardButton("x", callback_data=NewsSwitch("off").data)
Button("x", NewsSwitch("off").data)
CallbackQueryHandler(news, pattern=NewsSwitch.pattern())
"""
    assert sorted(line for line, _ in hand_made(ast.parse(code))) == [2, 3, 4, 5, 6, 7, 8, 9]


# --- every kind of button, apart from every other --------------------------------------------


def _modules() -> list[types.ModuleType]:
    loaded = []
    for package in PACKAGES:
        for info in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
            if info.name.endswith("__main__"):
                continue
            loaded.append(importlib.import_module(info.name))
    return loaded


def kinds() -> list[type[Callback]]:
    """Every kind of button declared in bot/, core/ and handlers/."""
    found = {
        value
        for module in _modules()
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, Callback)
        and value is not Callback
        and value.__module__ == module.__name__
    }
    return sorted(found, key=lambda kind: kind.prefix)


KINDS = kinds()


def test_the_project_has_its_buttons() -> None:
    """The walk finds the kinds (a broken walk would make the checks below pass vacuously)."""
    assert {StatsFilter, Hold, NewsSwitch, ProfileEdit, MoreMatches} <= set(KINDS)
    assert len(KINDS) > 50


def test_every_kind_has_its_own_prefix() -> None:
    prefixes = [kind.prefix for kind in KINDS]
    doubles = {p: [k.__qualname__ for k in KINDS if k.prefix == p] for p in prefixes}
    assert {p: ks for p, ks in doubles.items() if len(ks) > 1} == {}


def _words() -> list[str]:
    """Short codes a `str` field is tried with: every word of every prefix and every value a
    field can take (the likeliest to make one kind's data look like another's)."""
    words = {"abc", "7", "0", "y2025", "r20250101-20250630"}
    for kind in KINDS:
        words.update(kind.prefix.split(":"))
        for hint in typing.get_type_hints(kind).values():
            words.update(str(v) for v in _choices(hint) or ())
    return sorted(words)


def _choices(hint: object) -> list[object] | None:
    """The values of a Literal or an enum; None for other fields."""
    if typing.get_origin(hint) is typing.Literal:
        return list(typing.get_args(hint))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return list(hint)
    return None


def _values(hint: object, words: list[str]) -> list[object]:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return [None, *_values(inner[0], words)]
    if hint is int:
        return [0, 7, 123_456_789]
    if hint is str:
        return list(words)
    choices = _choices(hint)
    assert choices is not None, hint
    return choices


def examples(kind: type[Callback], words: list[str]) -> list[Callback]:
    """Every combination of a few values per field (the ones the codec accepts)."""
    hints = typing.get_type_hints(kind)
    per_field = [_values(hints[f.name], words) for f in fields(kind)]  # type: ignore[arg-type]
    made = []
    for combination in itertools.product(*per_field):
        button = kind(*combination)
        try:
            _ = button.data
        except ValueError:  # too long for Telegram: never sent
            continue
        made.append(button)
    return made


def test_no_two_kinds_take_the_same_data() -> None:
    """Each kind's data round-trips through its own pattern and matches no other kind's."""
    words = _words()
    compiled = [(kind, re.compile(kind.pattern())) for kind in KINDS]
    for kind in KINDS:
        made = examples(kind, words)
        assert made, kind
        for button in made:
            data = button.data
            assert kind.parse(data) == button
            takers = [k.__qualname__ for k, pattern in compiled if pattern.fullmatch(data)]
            assert takers == [kind.__qualname__], data


# The data as it was sent before the codec: buttons already in chats must keep working.
LEGACY: list[tuple[Callback, str]] = [
    (StatsFilter("d30", 0), "st:p:d30:0"),
    (StatsFilter("r20250101-20250630", 12), "st:p:r20250101-20250630:12"),
    (StatsEvents("y2025"), "st:e:y2025"),
    (ExportAll("x"), "ex:x"),
    (ExportAll("c"), "ex:c"),
    (ExportReport("y2024"), "ex:f:y2024"),
    (ViewOrg(12), "mo:v:12"),
    (CloseReport(3), "mo:c:3"),
    (AskHold("p", 12), "mo:ask:p:12"),
    (AskHold("r", 12), "mo:ask:r:12"),
    (Hold("p", 12, "pitch"), "mo:p:12:pitch"),
    (Hold("r", 12, "duplicate"), "mo:r:12:duplicate"),
    (RestoreOrg(12), "mo:u:12"),
    (AuditOlder(40), "au:40"),
    (Audience("all"), "bc:a:all"),
    (Audience("company"), "bc:a:company"),
    (EventAudience(5), "bc:a:ev:5"),
    (Decision("send"), "bc:send"),
    (Decision("edit"), "bc:edit"),
    (Decision("no"), "bc:no"),
    (NewsSwitch("off"), "nw:off"),
    (NewsSwitch("on"), "nw:on"),
    (ProfileEdit("name"), "p:edit:name"),
    (MoreMatches(), "m:more"),
]


@pytest.mark.parametrize(("button", "data"), LEGACY, ids=[d for _, d in LEGACY])
def test_the_data_formats_did_not_change(button: Callback, data: str) -> None:
    assert button.data == data
    assert type(button).parse(data) == button


def spelled_out(tree: ast.AST, prefixes: set[str]) -> list[tuple[int, str]]:
    """(line, text) of every string in `tree` that spells a kind's data or pattern out, wherever
    it goes ("nw:off", f"mo:v:{id}", r"^bc:(send|edit|no)$"), apart from the kinds' own
    `prefix=` and docstrings."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skip.add(id(body[0].value))  # a docstring
        if isinstance(node, ast.ClassDef):
            skip.update(id(k.value) for k in node.keywords)
        if isinstance(node, ast.JoinedStr):
            skip.update(id(v) for v in node.values)  # judged by its first part, below
    found = []
    for node in ast.walk(tree):
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
            text = node.values[0].value
        if id(node) in skip or not isinstance(text, str):
            continue
        bare = text.removeprefix("^")
        if any(bare.startswith(f"{p}:") or (bare == p and ":" in p) for p in prefixes):
            found.append((getattr(node, "lineno", 0), text))
    return found


def test_the_check_sees_data_spelled_out_anywhere() -> None:
    """The second check catches data or a pattern passed anywhere, even through a helper."""
    code = """
class Off(Callback, prefix="nw:x"):
    \"\"\"nw:x:off is ours\"\"\"
on(decide, r"^nw:x:(on|off)$")
TOGGLE = ("news.b_on", "nw:x:on")
see = f"nw:x:{n}"
target = f"org:{org.id}"
again = "nw:x"
"""
    found = spelled_out(ast.parse(code), {"nw:x", "q"})
    assert sorted(line for line, _ in found) == [4, 5, 6, 8]


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_writes_callback_data_or_a_pattern_by_hand(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = hand_made(tree) + spelled_out(tree, {kind.prefix for kind in KINDS})
    assert found == [], f"{path.relative_to(ROOT)}: use a Callback kind (core/buttons.py)"


# --- the wiring -----------------------------------------------------------------------------


def _button_handlers(
    handlers: list[BaseHandler[typing.Any, typing.Any, typing.Any]],
) -> list[CallbackQueryHandler[typing.Any, typing.Any]]:
    found: list[CallbackQueryHandler[typing.Any, typing.Any]] = []
    for handler in handlers:
        if isinstance(handler, ConversationHandler):
            inner = [*handler.entry_points, *handler.fallbacks]
            inner += [h for state in handler.states.values() for h in state]
            found += _button_handlers(inner)
        elif isinstance(handler, CallbackQueryHandler):
            found.append(handler)
    return found


async def test_every_kind_is_handled_and_every_pattern_is_a_kind(app: BotApp) -> None:
    """The running bot routes each kind of button by its own pattern, and routes nothing
    else (apart from the last catch-all that answers any stale button)."""
    registered = _button_handlers([h for group in app.handlers.values() for h in group])
    patterns = [h.pattern.pattern if h.pattern is not None else None for h in registered]
    assert patterns.count(None) == 1
    own = {kind.pattern() for kind in KINDS}
    assert {p for p in patterns if p is not None} - own == set()
    assert [k.__qualname__ for k in KINDS if k.pattern() not in patterns] == []


# --- pressed end to end ---------------------------------------------------------------------


def _answers(standin: BotApiStandIn) -> list[str]:
    return [str(a.get("text")) for a in standin.callback_answers.values()]


async def test_a_period_button_under_the_figures_shows_them_again(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    """An organiser presses « Tout » under /stats 2025: the figures come again for the whole
    history, with the charts; a button sent before the codec works the same."""
    organiser = standin.user(ORGANISER, "Organisatrice")
    shown = await organiser.send("/stats 2025", expect=4)
    assert "Période : 2025" in shown[0].text
    assert ("Tout", StatsFilter("all", 0).data) in shown[-1].buttons
    shown = await organiser.press("Tout", message=shown[-1], expect=4)
    assert "depuis le début" in shown[0].text
    assert [m.text.split()[0] for m in shown[1:]] == ["🔀", "✍️", "🕳"]
    shown = await organiser.press(data="st:p:y2025:0", message=shown[-1], expect=4)
    assert "Période : 2025" in shown[0].text
    actions = [e.action for e in await moderation.audit_page(svc(app).db)]
    assert actions == ["stats.view"] * 3


async def test_a_forged_or_stale_console_button_gets_the_polite_answer(
    standin: BotApiStandIn, app: BotApp
) -> None:
    """A profile button for an organisation that does not exist, or a period the bot cannot
    read, is answered as no longer valid: nothing is shown, nothing is logged."""
    organiser = standin.user(ORGANISER, "Organisatrice")
    shown = await organiser.send("/stats 2025", expect=4)
    await organiser.press(data=ViewOrg(999_999).data, message=shown[-1], expect=0)
    assert _answers(standin)[-1].startswith("Ce bouton n'est plus valable.")
    await organiser.press(data=StatsFilter("m202513", 0).data, message=shown[-1], expect=0)
    assert _answers(standin)[-1].startswith("Ce bouton n'est plus valable.")
    await organiser.press(data="mo:x:1", message=shown[-1], expect=0)
    assert _answers(standin)[-1].startswith("Ce bouton n'est plus valable.")
    actions = [e.action for e in await moderation.audit_page(svc(app).db)]
    assert actions == ["stats.view"]
