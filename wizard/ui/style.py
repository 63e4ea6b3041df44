"""One visual language for every page: the spacing scale, the page margins, the
accent colour, and the cards (success, failure, warning) as palette-aware style sheets.

Colours come in (light, dark) pairs picked by the palette's window lightness, and
neutral surfaces use `palette(...)` references, so the same sheets read well in the
platform's light and dark themes and in `--theme dark`. Kept free of `QtCore.Qt`
(see base.make_label: its first use costs ~15 ms before the first paint).
"""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QWidget

# The spacing scale (px at scale 1): every gap and margin is one of these.
XS, S, M, L, XL = 4, 8, 12, 16, 24
PAGE_MARGIN = L  # inside each page's scroll area, all four sides
# Below this window width the step list shows numbers only, so the page keeps its room.
COMPACT_BELOW = 760
COMPACT_BELOW_HEIGHT = 440

# Text and accent colours that keep their contrast on light and dark palettes.
TONES = {
    "ok": ("#067647", "#75E0A7"),
    "warn": ("#93370D", "#FEC84B"),
    "error": ("#B42318", "#FDA29B"),
    "caution": ("#B54708", "#FDB022"),
    "accent": ("#00796F", "#5EDBCB"),
    "muted": ("#475467", "#A3ACB9"),
}
# A card's tone -> the text colour of its edge, icon and title.
CARD_TEXT = {"ok": "ok", "error": "error", "warn": "warn", "info": "accent"}
# Card surfaces: (background, border) per tone, light and dark.
CARD_SURFACES = {
    "ok": (("#ECFDF3", "#75E0A7"), ("#0F2E22", "#2E8B62")),
    "error": (("#FEF3F2", "#FDA29B"), ("#3A1D1B", "#B4443B")),
    "warn": (("#FFFAEB", "#FEC84B"), ("#33290F", "#B58A1B")),
    "info": (("#F0F9FF", "#7CD4FD"), ("#12273A", "#3A84B8")),
}


def is_dark() -> bool:
    return QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def restyle(widget: QWidget, sheet: str) -> None:
    """Give `widget` this style sheet, only if it has another: Qt parses every sheet it is
    given and re-polishes the widget and all its children, even for the same text (a
    result card is re-toned on every state of the test page; the step list on every
    page change)."""
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


def colour(kind: str) -> str:
    """The `kind` text colour suited to the current palette (light or dark)."""
    return TONES[kind][1 if is_dark() else 0]


def card_sheet(name: str) -> str:
    """Rounded cards for the QFrame named `name`, one per tone, chosen by the frame's `tone`
    property (ok, error, warn, info), each with a stronger left edge in its tone. One sheet
    for all tones: a new tone is then a property and a polish of the frame alone, where a
    new sheet re-polishes the frame and everything in it."""
    dark = 1 if is_dark() else 0
    cards = "".join(
        f'QFrame#{name}[tone="{kind}"] {{ background: {surfaces[dark][0]};'
        f" border: 1px solid {surfaces[dark][1]};"
        f" border-left: 4px solid {colour(CARD_TEXT[kind])}; border-radius: 6px; }} "
        for kind, surfaces in CARD_SURFACES.items()
    )
    return (
        f"{cards}QFrame#{name} QLabel, QFrame#{name} QTextBrowser {{ background: transparent;"
        " border: none; }"
    )


def banner_sheet() -> str:
    background, border = CARD_SURFACES["warn"][1 if is_dark() else 0]
    return (
        f"QLabel#sandboxBanner {{ background: {background}; color: {colour('warn')};"
        f" border: 1px solid {border}; border-radius: 4px; padding: {XS + 2}px {S + 2}px;"
        " font-weight: bold; }"
    )


def warning_sheet() -> str:
    background, border = CARD_SURFACES["error"][1 if is_dark() else 0]
    return (
        f"QLabel {{ background: {background}; color: {colour('error')};"
        f" border: 1px solid {border}; border-left: 4px solid {colour('error')};"
        f" border-radius: 4px; padding: {S}px {M}px; font-weight: bold; }}"
    )


def primary_sheet() -> str:
    """The one button on a page that is the next thing to do. Padding, not a fixed height:
    the button grows with its font (2× scale, large fonts) and keeps its descenders."""
    background = "#00857C"
    ring = "#FFFFFF" if is_dark() else "#1F2937"
    return (
        f"QPushButton {{ background: {background}; color: white; font-weight: bold;"
        f" border: 2px solid {background}; border-radius: 4px; padding: {XS + 2}px {L}px; }}"
        " QPushButton:hover { background: #006B64; border-color: #006B64; }"
        f" QPushButton:focus {{ border: 2px solid {ring}; }}"
    )
