"""Page one: what the wizard does, language, country and test mode. Kept apart from the
guide pages (and their pictures) because it is the only page built before the window
first paints: every module with Qt subclasses costs start-up time."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from wizard import countries
from wizard.ui.base import BasePage, make_label, tone
from wizard.ui.context import WizardContext

if TYPE_CHECKING:
    from wizard.ui.connections import ConnectionsView

# Language names are shown in their own language, whatever the current one is.
LANGUAGE_NAMES = (("es", "Español"), ("en", "English"))


class WelcomePage(BasePage):
    """What the page asks of the wizard it sits in, as signals (it imports no wizard)."""

    newRequested = Signal()  # «Conectar otra cuenta»: on to the guide
    rotateRequested = Signal(str)  # a saved connection's token is to be replaced
    shortcutRequested = Signal()  # «Ya tengo mi usuario y token»: straight to the paste page

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "welcomePage", parent)
        intro = make_label(self, catalog_only=True, name="introLabel")
        self.bind(intro.setText, "gui.welcome.intro")
        # Short lines (a heading, two bullets, one sentence) need no word wrap, and a
        # wrapped label costs its text's layout several times over before the first
        # paint (each width the page is measured at); the longer paragraphs keep it.
        needs = make_label(self, catalog_only=True, name="needsLabel", wrap=False)
        self.bind(needs.setText, "gui.welcome.needs")
        self.need_items = make_label(self, catalog_only=True, name="needItemsLabel", wrap=False)
        self.need_items.setText(self._bullets())
        self.body.addWidget(intro)
        # Those who know the way (a returning user, support's fiftieth customer) skip
        # the guide: the paste page next, the guide one click away from there.
        shortcut_row = QHBoxLayout()
        self.shortcut_button = QPushButton(self)
        self.shortcut_button.setObjectName("shortcutToPasteButton")
        self.bind(self.shortcut_button.setText, "gui.welcome.shortcut")
        self.shortcut_button.clicked.connect(self.shortcutRequested)
        shortcut_row.addWidget(self.shortcut_button)
        shortcut_row.addStretch(1)
        self.body.addLayout(shortcut_row)
        self.body.addSpacing(8)
        # The saved connections (mount_connections, after the first paint) go here.
        self.connections_slot = QVBoxLayout()
        self.body.addLayout(self.connections_slot)
        self.connections: ConnectionsView | None = None
        self._new_only = (needs, self.need_items)  # what a first connection needs
        self.body.addWidget(needs)
        self.body.addWidget(self.need_items)
        self.body.addSpacing(12)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.language_combo = QComboBox(self)
        self.language_combo.setObjectName("languageCombo")
        for code, name in LANGUAGE_NAMES:
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(
            next(i for i, (code, _) in enumerate(LANGUAGE_NAMES) if code == ctx.lang)
        )
        self.country_combo = QComboBox(self)
        self.country_combo.setObjectName("countryCombo")
        for country in countries.COUNTRIES:
            self.country_combo.addItem(country.name(ctx.lang), country.code)
        for combo in (self.language_combo, self.country_combo):
            combo.setMinimumWidth(280)
        self.country_combo.setCurrentIndex(self.country_combo.findData(ctx.country.code))
        language_label = make_label(self, wrap=False, catalog_only=True)
        country_label = make_label(self, wrap=False, catalog_only=True)
        language_label.setBuddy(self.language_combo)
        country_label.setBuddy(self.country_combo)
        self.bind(language_label.setText, "gui.welcome.language")
        self.bind(country_label.setText, "gui.welcome.country")
        self.bind(self.language_combo.setAccessibleName, "gui.welcome.language")
        self.bind(self.country_combo.setAccessibleName, "gui.welcome.country")
        form.addRow(language_label, self.language_combo)
        form.addRow(country_label, self.country_combo)
        self.body.addLayout(form)
        self.body.addSpacing(12)

        self.demo_check = QCheckBox(self)
        self.demo_check.setObjectName("demoCheck")
        self.bind(self.demo_check.setText, "gui.welcome.demo")
        demo_help = make_label(self, catalog_only=True, name="demoHelp")
        demo_help.setIndent(24)
        self.bind(demo_help.setText, "gui.welcome.demo_help")
        self.demo_error = make_label(self, catalog_only=True, name="demoError")
        self.demo_error.setStyleSheet(tone("error"))
        self.demo_error.hide()
        self.body.addWidget(self.demo_check)
        self.body.addWidget(demo_help)
        self.body.addWidget(self.demo_error)
        self.body.addSpacing(6)

        self.support_check = QCheckBox(self)
        self.support_check.setObjectName("supportCheck")
        self.bind(self.support_check.setText, "support.mode")
        support_help = make_label(self, catalog_only=True, name="supportHelp")
        support_help.setIndent(24)
        self.bind(support_help.setText, "support.mode_help")
        self.support_check.setChecked(ctx.support)
        self.support_check.toggled.connect(ctx.set_support)
        ctx.supportChanged.connect(self.support_check.setChecked)
        self.body.addWidget(self.support_check)
        self.body.addWidget(support_help)
        # A box as wide as its text: a click beside the text, on blank page, ticks nothing.
        for box in (self.demo_check, self.support_check):
            box.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.body.addStretch(1)
        next_help = make_label(self, catalog_only=True, name="nextHelp", wrap=False)
        self.bind(next_help.setText, "gui.welcome.next_help")
        self.body.addWidget(next_help)
        if ctx.app.branded:  # the product's logo and needs (wizard.appconfig), up front
            from wizard.ui.brand import dress_welcome

            dress_welcome(self, ctx, self.body)

        self.language_combo.currentIndexChanged.connect(self._language_chosen)
        self.country_combo.currentIndexChanged.connect(self._country_chosen)
        self.demo_check.toggled.connect(self._demo_toggled)
        self.demo_check.setChecked(ctx.demo)

    def controls(self) -> list[QWidget]:
        """The buttons and boxes page one shows before the first paint (the window gives
        them the brand's sheet then)."""
        return [self.shortcut_button, self.demo_check, self.support_check]

    def mount_connections(self) -> None:
        """The saved connections view: after the first paint (AlegraWizard.build_rest),
        its store read on a worker thread. Shown only when something is stored."""
        if self.connections is not None:
            return
        from wizard.ui.connections import ACTIONS, ConnectionsView

        view = ConnectionsView(self.ctx, self)
        self.connections = view
        self.connections_slot.addWidget(view)
        view.shownChanged.connect(self._connections_shown)
        view.newRequested.connect(self.newRequested)
        view.rotateRequested.connect(self.rotateRequested)
        # Tab follows the page from the top: the connections come before the language.
        chain: list[QWidget] = [self.shortcut_button, view.new_button, view.list]
        chain += [getattr(view, attribute) for attribute, _key, _name in ACTIONS]
        chain += [self.language_combo, self.country_combo, self.demo_check, self.support_check]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        # A screen reader reads a page in its children's order: the view (made last) goes
        # right after the intro, where it is on screen.
        view.lower()
        self.shortcut_button.lower()
        intro = self.findChild(QWidget, "introLabel")
        if intro is not None:
            intro.lower()
        view.reload()

    def _connections_shown(self, shown: bool) -> None:
        for widget in self._new_only:
            widget.setVisible(not shown)

    def show_notice(self, text: str) -> None:
        from PySide6.QtCore import Qt

        # The notice may quote a profile name from the command line: never as markup.
        self.demo_error.setTextFormat(Qt.TextFormat.PlainText)
        self.demo_error.setText(text)
        self.demo_error.show()

    def _bullets(self) -> str:
        return "\n".join(f"  •  {item}" for item in self.ctx.t_list("gui.welcome.need_items"))

    def on_language_changed(self) -> None:
        self.need_items.setText(self._bullets())
        for index, country in enumerate(countries.COUNTRIES):
            self.country_combo.setItemText(index, country.name(self.ctx.lang))

    def _language_chosen(self, index: int) -> None:
        self.ctx.set_lang(self.language_combo.itemData(index), chosen=True)

    def _country_chosen(self, index: int) -> None:
        self.ctx.set_country(self.country_combo.itemData(index), chosen=True)

    def _demo_toggled(self, on: bool) -> None:
        try:
            self.ctx.set_demo(on)
        except Exception as exc:  # the sandbox could not bind a port, or similar
            self.demo_error.setText(self.ctx.t("gui.sandbox_failed", error=type(exc).__name__))
            self.demo_error.show()
            self.demo_check.setChecked(False)
            return
        self.demo_error.hide()
