"""The product that ships the wizard, in the window: its logo, its support line, and the box
that explains an app file we could not use (wizard.appconfig)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QMessageBox, QVBoxLayout, QWidget

from wizard import i18n

if TYPE_CHECKING:
    from wizard.appconfig import AppConfig, AppConfigError
    from wizard.ui.base import BasePage
    from wizard.ui.context import WizardContext

LOGO_HEIGHT = 56  # logical pixels: a header-sized mark, crisp at 2x from a 128 px PNG


def logo_pixmap(app: AppConfig, height: int, ratio: float = 1.0) -> QPixmap | None:
    """The app's logo (PNG or SVG) drawn `height` logical pixels tall; None without one or
    when Qt can't draw it."""
    if app.logo is None:
        return None
    if app.logo.suffix.lower() == ".svg":
        from PySide6.QtGui import QIcon

        pixmap = QIcon(str(app.logo)).pixmap(QtCore.QSize(height, height), ratio)
    else:
        pixmap = QPixmap(str(app.logo))
        if not pixmap.isNull():
            pixmap = pixmap.scaledToHeight(
                round(height * ratio), QtCore.Qt.TransformationMode.SmoothTransformation
            )
            pixmap.setDevicePixelRatio(ratio)
    return None if pixmap.isNull() else pixmap


def logo_label(parent: QWidget, app: AppConfig, name: str) -> QLabel | None:
    """A label showing the app's logo (objectName `name`, its accessible name the app's
    name), or None when the app has no logo."""
    pixmap = logo_pixmap(app, LOGO_HEIGHT, parent.devicePixelRatioF())
    if pixmap is None:
        return None
    label = QLabel(parent)
    label.setObjectName(name)
    label.setPixmap(pixmap)
    label.setAccessibleName(app.name or "")
    label.setAlignment(QtCore.Qt.AlignmentFlag.AlignLeft)
    return label


def support_line(app: AppConfig, lang: str) -> str | None:
    """The app's support contact for a failure card (wizard.appconfig.support_line)."""
    from wizard.appconfig import support_line as line

    return line(app, lang)


def app_file_box(error: AppConfigError, lang: str, parent: QWidget | None = None) -> QMessageBox:
    """The box shown before anything else when the app file can't be used: the message in
    Spanish first (then English), a button to go on without the product's branding, and
    one to quit."""
    box = QMessageBox(parent)
    box.setObjectName("appFileProblem")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(i18n.t("brand.unbranded.title", lang))
    # All of it as plain text: the message quotes the file (an informative text would be
    # rendered as rich text if it looked like some).
    box.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    box.setText(error.both())
    go_on = box.addButton(
        i18n.t("brand.unbranded.continue", lang), QMessageBox.ButtonRole.AcceptRole
    )
    go_on.setObjectName("continueUnbranded")
    quit_button = box.addButton(
        i18n.t("brand.unbranded.quit", lang), QMessageBox.ButtonRole.RejectRole
    )
    quit_button.setObjectName("quitAppFile")
    box.setDefaultButton(go_on)
    box.setEscapeButton(quit_button)
    return box


def ask_to_continue_unbranded(error: AppConfigError, lang: str) -> bool:
    """Before the window exists (no other event loop runs yet): True when the user chose
    to go on without the product's branding."""
    box = app_file_box(error, lang)
    box.exec()
    clicked = box.clickedButton()
    return clicked is not None and clicked.objectName() == "continueUnbranded"


class NeedsView(QFrame):
    """After a good check: are the app's needed resources there? Probes only those (on a
    worker; a stale answer after Back or a new check is dropped), then says what is
    missing and why the product needs it, or that all is there. What can't be checked is
    said as such and never blocks; a missing need never blocks saving either."""

    finished = Signal()

    def __init__(self, ctx: WizardContext, parent: QWidget) -> None:
        from wizard.ui.base import ResultCard
        from wizard.ui.worker import Worker

        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("needsView")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.card = ResultCard(
            ctx,
            self,
            name="needsCard",
            parts=("needsIcon", "needsTitle", "needsName", "needsDetails"),
        )
        self.card.name.hide()
        self.support = QLabel(self)
        self.support.setObjectName("needsSupport")
        self.support.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.support.setWordWrap(True)
        self.card.rows.addWidget(self.support)
        layout.addWidget(self.card)
        self.worker = Worker(self)
        self.worker.done.connect(self._done)
        self.hide()

    @property
    def wanted(self) -> bool:
        return bool(self.ctx.app.needs)

    @property
    def busy(self) -> bool:
        return self.worker.busy

    def start(self) -> None:
        from wizard import needs
        from wizard.present import DEFAULT_TIMEOUT_S

        ctx, app = self.ctx, self.ctx.app
        email, token, base_url = ctx.email, ctx.token, ctx.base_url
        ctx.needs_report = None
        self.worker.run(
            lambda cancel: needs.check_needs(
                app, email, token, base_url, DEFAULT_TIMEOUT_S, cancel=cancel
            ),
            "needs",
        )
        self.show_state()

    def reset(self) -> None:
        self.worker.cancel()
        self.ctx.needs_report = None
        self.hide()

    def _done(self, outcome: Any) -> None:
        from wizard import needs, probed

        report = outcome.value
        if outcome.error is not None or report is None:  # a bug: say unchecked, never block
            app = self.ctx.app
            report = needs.NeedsReport(
                tuple(needs.Need(key, probed.ERROR, app.why.get(key)) for key in app.needs)
            )
        self.ctx.needs_report = report
        self.show_state()
        from wizard.ui.base import announce

        announce(self.card.title, self.card.title.text() + "\n" + self.card.details.text())
        self.finished.emit()

    def show_state(self) -> None:
        """The card for the current state, in the current language."""
        from wizard import needs
        from wizard.ui import style
        from wizard.ui.base import tone

        ctx, app = self.ctx, self.ctx.app
        name = needs.app_name(app, ctx.lang)
        report = ctx.needs_report
        if not self.wanted or (report is None and not self.busy):
            self.hide()
            return
        if report is None:
            kind, icon, title, lines, support = (
                "info",
                "",
                ctx.t("brand.needs.checking", name=name),
                [],
                None,
            )
        elif report.missing:
            kind, icon = "warn", "!"
            title = ctx.t("brand.needs.title_missing", name=name)
            lines = needs.missing_lines(app, report, ctx.lang) + needs.unchecked_lines(
                report, ctx.lang
            )
            lines.append(ctx.t("brand.needs.save_anyway", name=name))
            support = support_line(app, ctx.lang)
        else:
            kind, icon = "ok", "✔"
            title = ctx.t("brand.needs.title_met", name=name)
            met = [n.resource for n in report.needs if not n.unchecked]
            lines = (
                [ctx.t("brand.needs.checked", resources=needs.names(met, ctx.lang))] if met else []
            )
            lines += needs.unchecked_lines(report, ctx.lang)
            support = None
        self.card.set_tone(kind, icon)
        style.restyle(self.card.title, tone(style.CARD_TEXT[kind], bold=True))
        self.card.title.setText(title)
        self.card.details.setText("\n".join(lines))
        self.card.details.setVisible(bool(lines))
        self.support.setText(support or "")
        self.support.setVisible(bool(support))
        self.show()


def dress_welcome(page: BasePage, ctx: WizardContext, layout: QVBoxLayout) -> None:
    """Page one, for a product: its logo and name at the top, the title «Conectar
    Facturador POS con Alegra», and what it will need, named up front («Facturador POS
    necesitará: Facturas, Contactos, Bancos.»)."""
    app = ctx.app
    if not app.branded:
        return
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QHBoxLayout

    from wizard import needs

    page.bind(page.setTitle, "brand.title", lambda: {"name": app.name})
    head = QHBoxLayout()
    logo = logo_label(page, app, "welcomeLogo")
    if logo is not None:
        head.addWidget(logo)
    name = QLabel(app.name or "", page)
    name.setObjectName("welcomeAppName")
    name.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    font = QFont(name.font())
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    name.setFont(font)
    head.addWidget(name, 1)
    layout.insertLayout(0, head)
    if app.needs:
        line = QLabel(page)
        line.setObjectName("welcomeNeeds")
        line.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        line.setWordWrap(True)
        page.bind(
            line.setText,
            "brand.needs.up_front",
            lambda: {"name": app.name, "resources": needs.names(app.needs, ctx.lang)},
        )
        layout.insertWidget(1, line)


def dress_done(page: Any, ctx: WizardContext, card: Any, state: str) -> None:
    """The done page, for a product: its logo on the card, and «Facturador POS ya puede
    usar tu Alegra» when saved; a save with needs missing says which, in a warning tone."""
    app = ctx.app
    if not app.branded:
        return
    from wizard import needs
    from wizard.ui import style
    from wizard.ui.base import tone

    if page.findChild(QLabel, "doneLogo") is None:
        logo = logo_label(page, app, "doneLogo")
        if logo is not None:
            card.rows.insertWidget(0, logo)
    if state not in ("saved", "problem", "unverified"):
        return
    report = ctx.needs_report
    profile = ctx.saved_profile
    if profile is not None:  # the product, not «the programs of this computer», uses it
        lead = (
            "brand.saved_lead_missing"
            if report is not None and report.missing
            else "brand.saved_lead"
        )
        page.saved.setText(ctx.t(lead, name=profile.name, app=app.name))
    if report is not None and report.missing:
        card.set_tone("warn", "!")
        style.restyle(card.title, tone(style.CARD_TEXT["warn"], bold=True))
        card.title.setText(ctx.t("brand.done_missing", name=app.name))
        lines = needs.missing_lines(app, report, ctx.lang)
        support = support_line(app, ctx.lang)
        shown = card.details.text() if card.details.isVisibleTo(page) else ""
        card.details.setText("\n".join([shown, *lines, *([support] if support else [])]).strip())
        card.details.setVisible(True)
    elif state == "saved":
        card.title.setText(ctx.t("brand.done", name=app.name))
    else:  # saved unverified, or with a problem: whom to ask, under what is wrong
        support = support_line(app, ctx.lang)
        if support:
            shown = card.details.text() if card.details.isVisibleTo(page) else ""
            card.details.setText(f"{shown}\n{support}".strip())
            card.details.setVisible(True)
