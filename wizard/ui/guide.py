"""Pages two to five: the four steps that show where Alegra keeps the credentials,
each with its picture."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wizard import countries
from wizard.ui import style
from wizard.ui.base import WARNING_STYLE, BasePage, disclosure, make_label, tone
from wizard.ui.context import WizardContext
from wizard.ui.images import StepImage

if TYPE_CHECKING:
    from PySide6.QtGui import QResizeEvent
    from PySide6.QtWidgets import QDialog


def numbered(items: list[str]) -> str:
    return "\n".join(f"{n}. {item}" for n, item in enumerate(items, 1))


class GuidePage(BasePage):
    """A step: what to do (its text and extras), and the picture of where to do it,
    beside the text when the window is wide, under it when narrow."""

    text_key = ""

    def __init__(self, ctx: WizardContext, object_name: str, parent: QWidget | None = None):
        super().__init__(ctx, object_name, parent)
        self.steps_panel = QWidget(self)
        self.steps_panel.setObjectName("guideSteps")
        column = QVBoxLayout(self.steps_panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(style.S)
        self.text = make_label(self.steps_panel, name="stepText")
        if self.text_key:
            self.bind(self.text.setText, self.text_key)
        column.addWidget(self.text)
        self.extras = QVBoxLayout()
        self.extras.setSpacing(style.S)
        column.addLayout(self.extras)
        column.addStretch(1)
        self.image = StepImage(self.spec.picture, ctx.lang, self)
        self.image.zoomRequested.connect(self.open_zoom)
        self.zoom: QDialog | None = None
        self.pair = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.pair.setSpacing(style.L)
        self.pair.addWidget(self.steps_panel)
        self.pair.addWidget(self.image, 1)
        self.body.addLayout(self.pair, 1)
        self.body.addStretch(0)  # takes the room when the picture is hidden
        self.bind(self.image.setAccessibleName, "gui.a11y.image", lambda: {"title": self.title()})
        self.bind(self.image.setToolTip, "gui.guide.zoom_hint")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.arrange()

    def arrange(self) -> None:
        """Steps beside the picture when a column of steps still leaves the picture its
        legible width (0.8x its own size, in physical px); else the steps above it. With
        the picture hidden (the can't-find panel open), the steps take the whole width."""
        # Room for the column of steps once the picture has its legible width (and the
        # page's scroll bar its own, should a long text need it).
        bar = self.page_scroll.verticalScrollBar().sizeHint().width()
        margins = 2 * style.PAGE_MARGIN + style.L + bar
        steps_room = self.width() - margins - self.image.legible_width()
        # The column is never narrower than what it holds needs (its buttons' text).
        need = max(style.GUIDE_STEPS_MIN, self.steps_panel.minimumSizeHint().width())
        beside = self.image.isVisibleTo(self) and steps_room >= need
        direction = QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom
        if self.pair.direction() != direction:
            self.pair.setDirection(direction)
        if beside:  # the picture its legible width first, the steps what is left
            self.steps_panel.setFixedWidth(min(style.GUIDE_STEPS_WIDTH, steps_room))
        else:
            self.steps_panel.setMinimumWidth(0)
            self.steps_panel.setMaximumWidth(16_777_215)

    def on_language_changed(self) -> None:
        self.image.set_lang(self.ctx.lang)

    def open_zoom(self) -> None:
        """The picture at its full size in a window of its own; Esc closes it."""
        from wizard.ui.images import ZoomView

        if self.zoom is not None:
            self.zoom.close()
        self.zoom = ZoomView(self.image, self.title(), self.ctx.t("gui.guide.zoom_close"), self)
        self.zoom.open()

    def open_link(self, url: str, error_label: QWidget) -> None:
        if not self.ctx.open_url(url):
            error_label.setText(self.ctx.t("gui.open_failed", url=url))  # type: ignore[attr-defined]
            error_label.show()


class SignInPage(GuidePage):
    own_main_action = True  # «Abrir Alegra»
    text_key = "gui.sign_in.text"

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "signInPage", parent)
        row = QHBoxLayout()
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("openAlegraButton")
        self.bind(self.open_button.setText, "gui.sign_in.open")
        self.open_button.clicked.connect(self._open)
        style.mark_primary(self.open_button)
        self.address = make_label(self, name="addressLabel", selectable=True)
        row.addWidget(self.open_button)
        row.addStretch(1)
        self.extras.addLayout(row)
        # Its own line: a web address has no spaces to wrap at.
        self.extras.addWidget(self.address)
        self.demo_note = make_label(self, name="demoNote")
        self.bind(self.demo_note.setText, "gui.sign_in.demo")
        self.error = make_label(self, name="openError", selectable=True)
        self.error.setStyleSheet(tone("error"))
        self.error.hide()
        self.extras.addWidget(self.demo_note)
        self.extras.addWidget(self.error)

    def initializePage(self) -> None:
        url = self.ctx.country.sign_in_url
        self.address.setText(self.ctx.t("gui.sign_in.address", url=url))
        self.demo_note.setVisible(self.ctx.demo)
        self.error.hide()

    def on_language_changed(self) -> None:
        super().on_language_changed()
        self.address.setText(self.ctx.t("gui.sign_in.address", url=self.ctx.country.sign_in_url))

    def _open(self) -> None:
        self.open_link(self.ctx.country.sign_in_url, self.error)


class OpenSettingsPage(GuidePage):
    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "openSettingsPage", parent)
        self._show_steps()

    def _show_steps(self) -> None:
        # The menu path in the words of the chosen country's edition of Alegra
        # (ctx.t_list picks the country's entry when countries.toml has one).
        self.text.setText(numbered(self.ctx.t_list("gui.open_settings.steps")))

    def initializePage(self) -> None:
        self._show_steps()  # the country may have changed on page one

    def on_language_changed(self) -> None:
        super().on_language_changed()
        self._show_steps()


class ManualApiPage(GuidePage):
    text_key = "gui.manual_api.text"

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "manualApiPage", parent)
        self.more_button = disclosure(
            self, "cantFindButton", "gui.manual_api.more", self._toggle_more
        )
        self.more_panel = QFrame(self)
        self.more_panel.setObjectName("cantFindPanel")
        self.more_panel.setFrameShape(QFrame.Shape.StyledPanel)
        panel = QVBoxLayout(self.more_panel)
        self.help = make_label(self.more_panel, name="cantFindText")
        self.help.setText(numbered(ctx.t_list("gui.manual_api.help")))
        row = QHBoxLayout()
        self.shortcut_button = QPushButton(self.more_panel)
        self.shortcut_button.setObjectName("shortcutButton")
        self.bind(self.shortcut_button.setText, "gui.manual_api.shortcut")
        shortcut_url = make_label(self.more_panel, selectable=True)
        shortcut_url.setText(countries.API_SETTINGS_URL)
        row.addWidget(self.shortcut_button)
        row.addStretch(1)
        self.error = make_label(self.more_panel, selectable=True)
        self.error.setStyleSheet(tone("error"))
        self.error.hide()
        panel.addWidget(self.help)
        panel.addLayout(row)
        panel.addWidget(shortcut_url)  # its own line: an address has nowhere to wrap
        panel.addWidget(self.error)
        self.more_panel.hide()
        self.extras.addWidget(self.more_button)
        self.extras.addWidget(self.more_panel)
        self.shortcut_button.clicked.connect(
            lambda: self.open_link(countries.API_SETTINGS_URL, self.error)
        )

    def _toggle_more(self, on: bool) -> None:
        self.more_panel.setVisible(on)
        self.image.setVisible(not on)  # keep the page's height: the panel replaces the picture
        self.arrange()
        self.body.setStretch(self.body.count() - 1, 1 if on else 0)

    def on_language_changed(self) -> None:
        super().on_language_changed()
        self.help.setText(numbered(self.ctx.t_list("gui.manual_api.help")))


class CopyCredentialsPage(GuidePage):
    text_key = "gui.copy.text"

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "copyCredentialsPage", parent)
        self.warning = make_label(self, name="renewWarning")
        self.warning.setStyleSheet(WARNING_STYLE)
        self.bind(self.warning.setText, "gui.copy.warning")
        self.extras.addWidget(self.warning)
