"""What every page has: the test-mode banner, and texts that follow the language.

Pages declare their texts once with `bind(setter, key)`; a language change on the
first page re-runs every binding, so no page keeps a hard-coded string.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget, QWizardPage

from wizard.ui.context import WizardContext

WARNING_STYLE = (
    "QLabel { background: #FEE4E2; color: #7A271A; border: 1px solid #D92D20;"
    " border-radius: 4px; padding: 8px 10px; font-weight: bold; }"
)
PRIMARY_STYLE = (
    "QPushButton { background: #00857C; color: white; font-weight: bold; border-radius: 4px;"
    " padding: 8px 16px; } QPushButton:focus { border: 2px solid #1F2937; }"
)
BANNER_STYLE = (
    "QLabel#sandboxBanner { background: #FEF3C7; color: #78350F; border: 1px solid #F59E0B;"
    " border-radius: 4px; padding: 6px 10px; font-weight: bold; }"
)


# Text colours that keep their contrast on light and dark palettes: (light, dark).
TONES = {
    "ok": ("#067647", "#75E0A7"),
    "warn": ("#93370D", "#FEC84B"),
    "error": ("#B42318", "#FDA29B"),
    "caution": ("#B54708", "#FDB022"),
}


def tone_colour(kind: str) -> str:
    """The `kind` colour suited to the current palette (light or dark)."""
    dark = QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return TONES[kind][1 if dark else 0]


def tone(kind: str, *, bold: bool = False) -> str:
    """A label style sheet in the `kind` colour suited to the current palette."""
    colour = tone_colour(kind)
    weight = " font-weight: bold;" if bold else ""
    return f"QLabel {{ color: {colour};{weight} }}"


def make_label(
    parent: QWidget,
    *,
    name: str | None = None,
    selectable: bool = False,
    wrap: bool = True,
    catalog_only: bool = False,
) -> QLabel:
    """A plain-text label (never rich text: nothing a user pasted can inject markup).

    catalog_only: the label only ever shows our own catalog's texts, so it may keep
    Qt's AutoText. Page one's labels use it: the first use of `QtCore.Qt` makes PySide
    build every enum of the Qt namespace (~15 ms), which would delay the first paint
    (hence `QtCore.Qt` looked up here, not imported at the top). A test checks
    that no such label's text looks like rich text, in any language.
    """
    label = QLabel(parent)
    label.setWordWrap(wrap)
    if not catalog_only:
        label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    if name:
        label.setObjectName(name)
    if selectable:
        label.setTextInteractionFlags(
            QtCore.Qt.TextInteractionFlag.TextSelectableByMouse
            | QtCore.Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
    return label


class BasePage(QWizardPage):
    title_key = ""
    subtitle_key = ""

    def __init__(self, ctx: WizardContext, object_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(object_name)
        self._bindings: list[
            tuple[Callable[[str], object], str, Callable[[], dict[str, object]]]
        ] = []
        outer = QVBoxLayout(self)
        # QWizard's start page has no header frame around it: give it the same inset.
        inset = 16 if object_name == "welcomePage" else 0
        outer.setContentsMargins(inset, 0, inset, 0)
        self.banner = make_label(self, name="sandboxBanner", catalog_only=True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setVisible(ctx.demo)
        outer.addWidget(self.banner)
        self.body = QVBoxLayout()
        outer.addLayout(self.body, 1)
        self.bind(self.banner.setText, "gui.banner")
        if self.title_key:
            self.bind(self.setTitle, self.title_key)
        if self.subtitle_key:
            self.bind(self.setSubTitle, self.subtitle_key)
        ctx.languageChanged.connect(self.retranslate)
        ctx.countryChanged.connect(self.retranslate)  # its own words («computador»…)
        ctx.demoChanged.connect(self.banner.setVisible)

    def bind(
        self,
        setter: Callable[[str], object],
        key: str,
        fmt: Callable[[], dict[str, object]] | None = None,
    ) -> None:
        """Set a text now and again on every language change."""
        fmt = fmt or dict
        self._bindings.append((setter, key, fmt))
        setter(self.ctx.t(key, **fmt()))

    def retranslate(self, *_: object) -> None:
        for setter, key, fmt in self._bindings:
            setter(self.ctx.t(key, **fmt()))
        self.on_language_changed()

    def on_language_changed(self) -> None:
        """Pages with texts built from state (results, summaries) refresh them here."""
