"""The console's charts as PNG pictures: drawn with matplotlib's Agg canvas (no display, no
pyplot and its global figures, so charts can be drawn in a worker thread), in DejaVu Sans,
the font matplotlib ships. Labels arrive already translated: this module knows no language.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

# 1200 × 750 pixels: sharp on a phone, far under Telegram's photo limits.
SIZE = (8.0, 5.0)
DPI = 150
FONT = "DejaVu Sans"
# Colour-blind-safe (Okabe-Ito), one per partnership kind.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")


def _figure() -> Figure:
    figure = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def funnel(
    title: str, stages: Sequence[str], reached: Sequence[int], notes: Sequence[str]
) -> bytes:
    """Horizontal bars, first stage on top, each with its count and a note (conversion, days)."""
    figure = _figure()
    axes = figure.add_subplot()
    positions = list(range(len(stages)))[::-1]
    bars = axes.barh(positions, reached, color=PALETTE[0], height=0.6)
    axes.set_yticks(positions, labels=list(stages), fontfamily=FONT)
    axes.set_title(title, fontfamily=FONT, fontsize=13, loc="left")
    top = max(reached, default=0) or 1
    axes.set_xlim(0, top * 1.45)
    for bar, count, note in zip(bars, reached, notes, strict=True):
        text = f"{count}" + (f"  ·  {note}" if note else "")
        axes.text(
            bar.get_width() + top * 0.02,
            bar.get_y() + bar.get_height() / 2,
            text,
            va="center",
            fontfamily=FONT,
            fontsize=9,
        )
    axes.spines[["top", "right"]].set_visible(False)
    axes.xaxis.set_visible(False)
    return _png(figure)


def monthly(
    title: str, months: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], empty: str
) -> bytes:
    """Stacked bars per month, one colour per kind (legend names them)."""
    figure = _figure()
    axes = figure.add_subplot()
    axes.set_title(title, fontfamily=FONT, fontsize=13, loc="left")
    if not months:
        axes.text(0.5, 0.5, empty, ha="center", va="center", fontfamily=FONT, fontsize=12)
        axes.set_axis_off()
        return _png(figure)
    positions = list(range(len(months)))
    bottom = [0] * len(months)
    for index, (label, counts) in enumerate(series):
        axes.bar(
            positions,
            counts,
            bottom=bottom,
            label=label,
            color=PALETTE[index % len(PALETTE)],
            width=0.7,
        )
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    # At most about 12 month names under the bars, whatever the period's length.
    step = max(1, -(-len(months) // 12))
    axes.set_xticks(positions[::step], labels=list(months)[::step], fontfamily=FONT, fontsize=8)
    axes.tick_params(axis="x", labelrotation=45)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(prop={"family": FONT, "size": 8}, frameon=False, loc="upper left")
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def gaps(
    title: str,
    categories: Sequence[str],
    needs: Sequence[int],
    offers: Sequence[int],
    *,
    legend: tuple[str, str],
    empty: str,
) -> bytes:
    """Per category (most wanting first, on top): organisations that need it beside those on
    the other side that offer it; an absent offer bar is a gap."""
    figure = _figure()
    axes = figure.add_subplot()
    axes.set_title(title, fontfamily=FONT, fontsize=13, loc="left")
    if not categories:
        axes.text(0.5, 0.5, empty, ha="center", va="center", fontfamily=FONT, fontsize=12)
        axes.set_axis_off()
        return _png(figure)
    positions = list(range(len(categories)))[::-1]
    axes.barh([p + 0.2 for p in positions], needs, height=0.4, color=PALETTE[5], label=legend[0])
    axes.barh([p - 0.2 for p in positions], offers, height=0.4, color=PALETTE[2], label=legend[1])
    axes.set_yticks(positions, labels=list(categories), fontfamily=FONT, fontsize=8)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(prop={"family": FONT, "size": 8}, frameon=False, loc="lower right")
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)
