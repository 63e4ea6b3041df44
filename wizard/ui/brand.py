"""The product that ships the wizard, in the window: its logo, its support line, and the box
that explains an app file we could not use (wizard.appconfig)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from wizard import i18n

if TYPE_CHECKING:
    from wizard.appconfig import AppConfig, AppConfigError

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
    """«¿Necesitas ayuda con Facturador POS? soporte@…», for every failure card; None when
    the app file names no support contact."""
    if app.name is None or not app.support:
        return None
    return i18n.t("brand.support", lang, name=app.name, support=app.support)


def app_file_box(error: AppConfigError, lang: str, parent: QWidget | None = None) -> QMessageBox:
    """The box shown before anything else when the app file can't be used: the message in
    Spanish first (then English), a button to go on without the product's branding, and
    one to quit."""
    box = QMessageBox(parent)
    box.setObjectName("appFileProblem")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(i18n.t("brand.unbranded.title", lang))
    box.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    box.setText(i18n.t("brand.unbranded.title", lang))
    box.setInformativeText(error.both())
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
