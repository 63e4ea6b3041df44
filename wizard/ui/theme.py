"""The brand's look applied to the application: the palette from style.BRAND, light or
dark, and the system's own colours when it asks for high contrast (read after the first
paint). The window's sheet is style.window_sheet; app.py calls in here."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from wizard.ui import style


def wants_high_contrast(app: QApplication) -> bool:
    """The system asks for high contrast (Windows' contrast themes, and where Qt reads
    the setting elsewhere): QStyleHints.accessibility().contrastPreference(), Qt 6.10+."""
    from PySide6.QtCore import Qt  # after the first paint: Qt's enums cost ~15 ms

    style_hints = app.styleHints()  # held: the accessibility hints live inside it
    contrast = style_hints.accessibility().contrastPreference()
    return bool(contrast == Qt.ContrastPreference.HighContrast)


# Palette roles from the brand's colours (style.BRAND): no Fusion blue for selection,
# progress, links or the accent.
PALETTE_ROLES = {
    "Window": "surface", "WindowText": "text", "Base": "field", "AlternateBase": "side",
    "Text": "text", "Button": "surface", "ButtonText": "text", "ToolTipBase": "side",
    "ToolTipText": "text", "Highlight": "selection", "HighlightedText": "on_selection",
    "Link": "link", "LinkVisited": "link", "Accent": "selection",
    "PlaceholderText": "placeholder",
}  # fmt: skip
_platform_palette: QPalette | None = (
    None  # the platform's own palette, before the brand's replaced it
)
DARK_CHECK_BOX = {"Window": "#B0B6BF", "Base": "#3C3F41"}
LIGHT_CHECK_BOX = {"Window": "#8E8E8E"}
# The classes with a palette of their own (by name: PySide's stubs say bytes, it takes str).
CONTROLS = ("QCheckBox", "QRadioButton")


def apply_theme(app: QApplication, theme: str, *, high_contrast: bool = False) -> None:
    """The brand's palette, light or dark: on Fusion, or with "auto" on the platform's
    style, dark where its palette is; the window adds the brand's sheet (window_sheet).
    high_contrast: the system's own colours instead (the platform's palette, kept from
    the first call), with our outlines and focus ring's width in them: `follow_contrast`
    asks the system after the first paint (asking touches Qt's enums, ~15 ms)."""
    global _platform_palette
    if _platform_palette is None:
        _platform_palette = app.palette()  # a copy (QPalette(...) costs Qt's enums)
    style.set_high_contrast(high_contrast)
    if high_contrast:
        app.setPalette(_platform_palette)
        for kind in CONTROLS:
            app.setPalette(_platform_palette, kind)  # type: ignore[arg-type]
        return
    if theme == "auto":
        # The platform's style stays (Fusion where there is no desktop), and its palette
        # says whether it is dark. Not app.style() before the first paint: PySide builds
        # QStyle's enums (hundreds of names, ~48 M instructions) when it first hands one out.
        dark = _platform_palette.color(QPalette.ColorRole.Window).lightness() < 128
        palette = app.palette()
    else:
        from PySide6.QtCore import Qt

        dark = theme == "dark"
        scheme = Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light
        app.styleHints().setColorScheme(scheme)
        app.setStyle("Fusion")
        palette = app.style().standardPalette()
    colours = style.BRAND["dark" if dark else "light"]
    for role, name in PALETTE_ROLES.items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(colours[name]))
    disabled = QColor(colours["disabled"])
    for role in ("WindowText", "Text", "ButtonText"):
        palette.setColor(QPalette.ColorGroup.Disabled, getattr(QPalette.ColorRole, role), disabled)
    app.setPalette(palette)
    # Fusion draws a check box's edge in the window colour darkened: on the dark window an
    # unticked box all but vanished (1.2:1), on the light one it was faint (1.7:1). Its
    # own "window" colour for check boxes only gives the edge over 3:1 against the page
    # (what WCAG asks of a control's boundary).
    boxes = app.palette()
    for role, colour in (DARK_CHECK_BOX if dark else LIGHT_CHECK_BOX).items():
        boxes.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    for kind in CONTROLS:
        app.setPalette(boxes, kind)  # type: ignore[arg-type]


def follow_contrast(app: QApplication, wizard: QWidget, theme: str) -> None:
    """After the first paint: if the system asks for high contrast, its colours replace
    the brand's (now and whenever the setting changes)."""
    style_hints = app.styleHints()
    hints = style_hints.accessibility()

    def follow(*_: object) -> None:
        wanted = wants_high_contrast(app)
        if wanted != style.high_contrast():
            apply_theme(app, theme, high_contrast=wanted)
            wizard.setStyleSheet(style.window_sheet())

    follow()
    hints.contrastPreferenceChanged.connect(follow)
