"""One visual language for every page: the spacing scale, the page margins, the
accent colour, and the cards (success, failure, warning) as palette-aware style sheets.

Colours come in (light, dark) pairs picked by the palette's window lightness, and
neutral surfaces use `palette(...)` references, so the same sheets read well in the
platform's light and dark themes and in `--theme dark`. Kept free of `QtCore.Qt`
(see base.make_label: its first use costs ~15 ms before the first paint).
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

# The spacing scale (px at scale 1): every gap and margin is one of these.
XS, S, M, L, XL = 4, 8, 12, 16, 24
PAGE_MARGIN = L  # inside each page's scroll area, all four sides
# Below this window width the step list shows numbers only, so the page keeps its room.
COMPACT_BELOW = 1000
COMPACT_BELOW_HEIGHT = 440  # and below this height, pages have a one-line header
STEPS_HIDDEN_BELOW = 700  # and below this width, no step list at all
# A guide page at least this wide (its own width) puts the steps beside the picture,
# in a column between these widths; narrower, the steps go above it.
GUIDE_BESIDE_FROM = 640
GUIDE_STEPS_MIN, GUIDE_STEPS_WIDTH = 180, 320
# The window may take this share of the screen's available area, up to LARGEST; on a
# screen lower than SMALL_SCREEN_HEIGHT all of it but WINDOW_FRAME (the title bar and
# borders a window manager adds, logical px).
SCREEN_SHARE = 0.9
LARGEST = (1440, 960)
SMALL_SCREEN_HEIGHT = 600
WINDOW_FRAME = (16, 40)
# The focus indicator (WCAG 2.2 focus appearance: at least 2 px, 3:1 against its
# surroundings): its width in px.
FOCUS_WIDTH = 2

# The one type scale (points): every text is one of these.
TYPE_SCALE = {"small": 9.0, "body": 10.0, "lead": 12.0, "heading": 15.0, "title": 20.0}


def font(base: QFont, role: str, *, bold: bool | None = None) -> QFont:
    """`base` at the type scale's size for `role` (titles and headings demi-bold)."""
    sized = QFont(base)
    sized.setPointSizeF(TYPE_SCALE[role])
    if bold is not None:
        sized.setBold(bold)
    elif role in ("title", "heading"):
        sized.setWeight(QFont.Weight.DemiBold)
    return sized


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
    """The slim mode strip across the top of every page (test mode, support mode)."""
    background, border = CARD_SURFACES["warn"][1 if is_dark() else 0]
    return (
        f"QLabel#sandboxBanner {{ background: {background}; color: {colour('warn')};"
        f" border: none; border-bottom: 1px solid {border};"
        f" padding: 2px {PAGE_MARGIN}px; font-weight: bold; }}"
    )


def step_label_sheet() -> str:
    """«Paso N de 9» above a page's title: small, in the muted tone."""
    return f"QLabel {{ color: {colour('muted')}; font-size: {TYPE_SCALE['small']}pt; }}"


def warning_sheet() -> str:
    background, border = CARD_SURFACES["error"][1 if is_dark() else 0]
    return (
        f"QLabel {{ background: {background}; color: {colour('error')};"
        f" border: 1px solid {border}; border-left: 4px solid {colour('error')};"
        f" border-radius: 4px; padding: {S}px {M}px; font-weight: bold; }}"
    )


def primary_sheet() -> str:
    """The one button on a page that is the next thing to do, as a widget's own sheet
    (the window's sheet does the same for a button whose `primary` property is set:
    `mark_primary`)."""
    return f"QPushButton {{ {_primary_rules()} }}" + _primary_states("QPushButton")


# The brand's colours, light and dark: the content surface, text, the outline of a
# secondary button, the filled main action, the focus ring. The ring keeps 3:1 against
# the page, the outline it replaces and the filled button's teal (WCAG 2.2 focus
# appearance; tests/ui/test_look.py computes each ratio).
BRAND = {
    "light": {
        "surface": "#FFFFFF", "side": "#F4F6F8", "text": "#1F2937", "muted": "#475467",
        "outline": "#8A94A6", "hover": "#EEF8F7", "pressed": "#DDF1EF", "fill": "#00857C",
        "fill_hover": "#006B64", "on_fill": "#FFFFFF", "ring": "#1F2937",
        "selection": "#00796F", "on_selection": "#FFFFFF", "link": "#00796F",
        "disabled": "#98A2B3", "field": "#FFFFFF", "placeholder": "#667085",
    },
    "dark": {
        "surface": "#1E1F22", "side": "#26282C", "text": "#E6E6E6", "muted": "#A3ACB9",
        "outline": "#7C8594", "hover": "#22302F", "pressed": "#1B3B38", "fill": "#00857C",
        "fill_hover": "#006B64", "on_fill": "#FFFFFF", "ring": "#FFFFFF",
        "selection": "#00857C", "on_selection": "#FFFFFF", "link": "#5EDBCB",
        "disabled": "#6B7280", "field": "#26282C", "placeholder": "#8C8C8C",
    },
}  # fmt: skip
# What the system asked for, as apply_theme found it: the brand's colours, or, in high
# contrast, the system's own (style sheets then name palette roles, not colours).
_high_contrast = False


def set_high_contrast(on: bool) -> None:
    global _high_contrast
    _high_contrast = on


def high_contrast() -> bool:
    return _high_contrast


def brand() -> dict[str, str]:
    return BRAND["dark" if is_dark() else "light"]


def focus_colour() -> str:
    """The focus ring's colour (the system's highlight in high contrast)."""
    if _high_contrast:
        return QApplication.palette().color(QPalette.ColorRole.Highlight).name()
    return brand()["ring"]


def _primary_rules() -> str:
    if _high_contrast:
        return (
            "background: palette(highlight); color: palette(highlighted-text);"
            f" font-weight: bold; border: {FOCUS_WIDTH}px solid palette(highlight);"
            f" border-radius: 6px; padding: {XS + 1}px {L}px;"
        )
    c = brand()
    return (
        f"background: {c['fill']}; color: {c['on_fill']}; font-weight: bold;"
        f" border: {FOCUS_WIDTH}px solid {c['fill']}; border-radius: 6px;"
        f" padding: {XS + 1}px {L}px;"
    )


def _primary_states(selector: str) -> str:
    if _high_contrast:
        return (
            f" {selector}:focus {{ border-color: palette(window-text); }}"
            f" {selector}:disabled {{ background: palette(window); color: palette(mid);"
            " border-color: palette(mid); }"
        )
    c = brand()
    return (
        f" {selector}:hover {{ background: {c['fill_hover']}; border-color: {c['fill_hover']}; }}"
        f" {selector}:focus {{ border-color: {c['ring']}; }}"
        f" {selector}:disabled {{ background: {c['surface']}; color: {c['disabled']};"
        f" border: 1px solid {c['disabled']}; padding: {XS + 2}px {L + 1}px; }}"
    )


def window_sheet() -> str:
    """The window's one sheet (its dialogs inherit it): outlined buttons, the filled main action
    (`primary` property), and a focus ring of FOCUS_WIDTH px on every control that takes
    the focus. Sizes do not change with the focus: the unfocused edge is as wide."""
    w = FOCUS_WIDTH
    if _high_contrast:
        text, outline, ring, surface = (
            "palette(button-text)", "palette(button-text)", "palette(highlight)",
            "palette(button)",
        )  # fmt: skip
        hover = pressed = "palette(button)"
    else:
        c = brand()
        text, outline, ring, surface = c["text"], c["outline"], c["ring"], c["surface"]
        hover, pressed = c["hover"], c["pressed"]
    button = (
        f"QPushButton {{ background: {surface}; color: {text}; border: 1px solid {outline};"
        f" border-radius: 6px; padding: {XS + 2}px {L + 1}px; }}"
        f" QPushButton:hover {{ background: {hover}; }}"
        f" QPushButton:pressed {{ background: {pressed}; }}"
        f" QPushButton:focus {{ border: {w}px solid {ring}; padding: {XS + 1}px {L}px; }}"
    )
    if not _high_contrast:
        c = brand()
        button += (
            f" QPushButton:disabled {{ color: {c['disabled']}; border-color: {c['disabled']}; }}"
        )
    primary = 'QPushButton[primary="true"]'
    button += f" {primary} {{ {_primary_rules()} }}" + _primary_states(primary)
    # Check boxes and disclosures: a ring around the control, transparent until focused.
    toggles = 'QCheckBox, QToolButton[disclosure="true"]'
    focused = 'QCheckBox:focus, QToolButton[disclosure="true"]:focus'
    ringed = (
        f" {toggles} {{ border: {w}px solid transparent; border-radius: 4px; padding: 1px 2px; }}"
        f" {focused} {{ border-color: {ring}; }}"
    )
    return button + ringed


def mark_primary(button: QWidget, on: bool = True) -> None:
    """`button` is (or no longer is) its page's main action: filled teal. A shown button
    is polished again; a hidden one takes its look when Qt polishes it as it shows (page
    one's Next before the first paint, where a polish would cost Qt's enums)."""
    if bool(button.property("primary")) != on:
        button.setProperty("primary", on)
        if button.isVisible():
            button.style().unpolish(button)
            button.style().polish(button)
