"""Pages two to five: the four steps that show where Alegra keeps the credentials,
each with its picture."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wizard import countries
from wizard.ui.base import PRIMARY_STYLE, WARNING_STYLE, BasePage, disclosure, make_label, tone
from wizard.ui.context import WizardContext
from wizard.ui.images import StepImage

GUIDE_STEPS = 4


def numbered(items: list[str]) -> str:
    return "\n".join(f"{n}. {item}" for n, item in enumerate(items, 1))


class GuidePage(BasePage):
    """A step with an explanation above its picture."""

    step = ""  # picture name under resources/screenshots/<lang>/
    number = 0
    text_key = ""

    def __init__(self, ctx: WizardContext, object_name: str, parent: QWidget | None = None):
        super().__init__(ctx, object_name, parent)
        self.setSubTitle(self._step_text())
        self.text = make_label(self, name="stepText")
        if self.text_key:
            self.bind(self.text.setText, self.text_key)
        self.body.addWidget(self.text)
        self.extras = QVBoxLayout()
        self.body.addLayout(self.extras)
        self.image = StepImage(self.step, ctx.lang, self)
        self.body.addWidget(self.image, 1)
        self.body.addStretch(0)  # takes the room when the picture is hidden
        self.image.setAccessibleName(ctx.t("gui.a11y.image", title=self.title()))

    def _step_text(self) -> str:
        # Numbered as in the step list beside the pages (one count for the whole journey).
        from wizard.ui.steps import STEP_PAGES

        n = STEP_PAGES.index(self.objectName()) + 1
        return self.ctx.t("gui.step", n=n, total=len(STEP_PAGES))

    def on_language_changed(self) -> None:
        self.setSubTitle(self._step_text())
        self.image.set_lang(self.ctx.lang)
        self.image.setAccessibleName(self.ctx.t("gui.a11y.image", title=self.title()))

    def open_link(self, url: str, error_label: QWidget) -> None:
        if not self.ctx.open_url(url):
            error_label.setText(self.ctx.t("gui.open_failed", url=url))  # type: ignore[attr-defined]
            error_label.show()


class SignInPage(GuidePage):
    title_key = "gui.sign_in.title"
    text_key = "gui.sign_in.text"
    step = "sign_in"
    number = 1

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "signInPage", parent)
        row = QHBoxLayout()
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("openAlegraButton")
        self.bind(self.open_button.setText, "gui.sign_in.open")
        self.open_button.clicked.connect(self._open)
        self.open_button.setStyleSheet(PRIMARY_STYLE)
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
    title_key = "gui.open_settings.title"
    step = "open_settings"
    number = 2

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
    title_key = "gui.manual_api.title"
    text_key = "gui.manual_api.text"
    step = "manual_api"
    number = 3

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
        self.body.setStretch(self.body.count() - 1, 1 if on else 0)

    def on_language_changed(self) -> None:
        super().on_language_changed()
        self.help.setText(numbered(self.ctx.t_list("gui.manual_api.help")))


class CopyCredentialsPage(GuidePage):
    title_key = "gui.copy.title"
    text_key = "gui.copy.text"
    step = "copy_credentials"
    number = 4

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "copyCredentialsPage", parent)
        self.warning = make_label(self, name="renewWarning")
        self.warning.setStyleSheet(WARNING_STYLE)
        self.bind(self.warning.setText, "gui.copy.warning")
        self.extras.addWidget(self.warning)
