"""/stats end to end through the stand-in: the figures, the three charts, the filters, and
nobody but an organiser sees them."""

from __future__ import annotations

import asyncio
import re

import pytest

from bot.app import BotApp
from bot.i18n import load_catalogues, load_translator
from core.i18n import placeholders
from sandbox.standin import BotApiStandIn
from storage import moderation
from tests.console_data import open_png, png_size, small_network
from tests.harness import ORGANISER, Clock, svc

CATALOGUES = load_catalogues()
TRANSLATOR = load_translator("fr")


async def test_stats_shows_the_network_and_three_charts(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    """Organisations, needs nobody offers, the funnel with conversion and median days, what
    was recorded (hours, euros, by kind), as text and as three readable PNG charts."""
    await small_network(standin, app, clock, 40_000)
    organiser = standin.user(ORGANISER, "Organisatrice")
    shown = await organiser.send("/stats", expect=4)
    text = shown[0].text
    assert "5 organisations : 3 associations, 2 entreprises" in text
    assert "Juridique : 1 association en a besoin, aucune entreprise ne l'offre" in text
    assert "mis en relation : 3" in text
    assert "en contact : 2 (67\u202f%, médiane 4 j)" in text
    assert "rencontrés : 2 (100\u202f%, médiane 8 j)" in text
    assert "partenariat conclu : 2 (100\u202f%, médiane 25 j)" in text
    assert "réalisé : 1 (50\u202f%, médiane 15 j)" in text
    assert "2 partenariats enregistrés : 40 heures, 2\u202f500 € apportés" in text
    assert "Statut : 5 actives" in text, "the count before its status"
    assert "Mécénat de compétences : 1 (40 h, 2\u202f000 €)" in text
    assert "pas de contact 1" in text
    pictures = [m.photo for m in shown[1:]]
    for picture in pictures:
        assert picture is not None
        width, height = png_size(picture)
        assert 800 <= width <= 2000, width
        assert 500 <= height <= 1500, height
        assert open_png(picture) == (width, height)
        assert 5_000 < len(picture) < 2_000_000
    assert [m.text.split()[0] for m in shown[1:]] == ["🔀", "✍️", "🕳"]
    # The filters are under the last chart.
    assert any("30 jours" in label for label, _ in shown[-1].buttons)
    [entry] = await moderation.audit_page(svc(app).db)
    assert (entry.actor_user_id, entry.action) == (ORGANISER, "stats.view")


async def test_stats_filters_by_period_typed_or_pressed(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    """A period typed after the command, or a button, narrows the figures; a period the bot
    cannot read is explained."""
    await small_network(standin, app, clock, 41_000)
    organiser = standin.user(ORGANISER, "Organisatrice")
    shown = await organiser.send("/stats 2025", expect=4)
    assert "Période : 2025" in shown[0].text
    assert "0 organisation :" in shown[0].text
    assert "0 partenariat enregistré" in shown[0].text
    shown = await organiser.press("30 jours", message=shown[-1], expect=4)
    assert "les 30 derniers jours" in shown[0].text
    # The two records were confirmed 15 and 5 days ago; the pairs were introduced 45 days ago.
    assert "2 partenariats enregistrés : 40 heures, 2\u202f500 €" in shown[0].text
    assert "mis en relation : 0" in shown[0].text
    shown = await organiser.send("/stats 12/2026", expect=4)
    assert "déc. 2026" in shown[0].text
    # December holds the skills record only (the goods one was confirmed on 2 January).
    assert "1 partenariat enregistré : 40 heures, 2\u202f000 €" in shown[0].text
    shown = await organiser.send("/stats hier")
    assert "Je n'ai pas compris la période" in shown[-1].text


async def test_only_organisers_see_stats_even_with_a_forged_button(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    await small_network(standin, app, clock, 42_000)
    intruder = standin.users[42_011]
    shown = await intruder.send("/stats")
    assert "réservée aux organisateurs" in shown[-1].text
    organiser = standin.user(ORGANISER, "Organisatrice")
    charts = await organiser.send("/stats", expect=4)
    before = len(intruder.bot_messages)
    await intruder.press(data="st:p:all:0", message=charts[-1], expect=0)
    answers = [str(a.get("text")) for a in standin.callback_answers.values()]
    assert any("réservée aux organisateurs" in a for a in answers)
    await asyncio.sleep(0.2)
    assert len(intruder.bot_messages) == before
    assert [e.action for e in await moderation.audit_page(svc(app).db)] == ["stats.view"]


async def test_help_lists_the_console_for_organisers_only(
    standin: BotApiStandIn, app: BotApp, clock: Clock
) -> None:
    organiser = standin.user(ORGANISER, "Organisatrice")
    shown = await organiser.send("/help", expect=2)
    assert "/stats" in shown[-1].text
    assert "/broadcast" in shown[-1].text
    someone = standin.user(43_000, "Nina")
    shown = await someone.send("/help")
    await asyncio.sleep(0.2)
    assert not any("/stats" in m.text for m in someone.bot_messages)


@pytest.mark.parametrize(
    "key",
    sorted(
        k
        for k in CATALOGUES["fr"]
        # `.one`/`.other` forms are picked by count; the periods in days come from buttons (30).
        if k.startswith(("stats.", "export.")) and not k.endswith(".other")
        if k != "stats.period_days"
    ),
)
def test_console_counts_agree_with_their_nouns(key: str) -> None:
    """« 1 entreprise », « … et 1 autre », « 0 heure »: a count of one (or none, in French)
    is never followed by a plural noun in the console's texts."""
    for lang in CATALOGUES:
        for count in ("0", "1"):
            names = placeholders(CATALOGUES[lang][key])
            text = TRANSLATOR(lang, key, **dict.fromkeys(names, count))
            if lang == "en" and count == "0":
                continue
            plural = re.search(rf"\b{count} ([a-zàâéèêîôûç]+s)\b", text)
            assert plural is None, f"{lang}: {text!r}"
