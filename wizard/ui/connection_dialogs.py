"""The saved connections' boxes: «are you sure?» before changing one (a `Confirm` row
each), «Renombrar», and a failed re-check's result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from wizard.ui.base import make_label, tone
from wizard.ui.context import WizardContext

if TYPE_CHECKING:
    from wizard.store import Profile


@dataclass(frozen=True)
class Confirm:
    """An «are you sure?» box before acting on a connection (ConnectionsView._confirm)."""

    object_name: str
    icon: QMessageBox.Icon
    title: str  # catalog keys; `warning` is given the connection's {name}
    warning: str
    yes: str


ROTATE = Confirm(
    "rotateWarningBox",
    QMessageBox.Icon.Warning,
    "gui.connections.rotate_title",
    "gui.connections.rotate_warning",
    "gui.connections.rotate_yes",
)
REMOVE = Confirm(
    "removeConfirmBox",
    QMessageBox.Icon.Question,
    "gui.connections.remove_title",
    "gui.connections.remove_warning",
    "gui.connections.remove_yes",
)


class CheckResultDialog(QDialog):
    """A failed re-check: the hint (causes, numbered steps, link) as on the test page,
    with «Cambiar token» when a new token is the fix."""

    def __init__(
        self,
        ctx: WizardContext,
        name: str,
        title: str,
        body: str,
        offer_rotate: bool,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("connectionCheckDialog")
        self.setWindowTitle(ctx.t("gui.connections.check_title", name=name))
        layout = QVBoxLayout(self)
        self.status = make_label(self, name="connectionCheckStatus")
        self.status.setStyleSheet(tone("error", bold=True))
        self.status.setText(title)
        self.hint_view = QTextBrowser(self)
        self.hint_view.setObjectName("connectionHintView")
        self.hint_view.setOpenExternalLinks(True)
        self.hint_view.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.hint_view.setAccessibleName(ctx.t("gui.test.steps"))
        self.hint_view.setHtml(body)
        self.hint_view.setTabChangesFocus(True)  # Tab leaves the text, as in every field
        layout.addWidget(self.status)
        layout.addWidget(self.hint_view, 1)
        buttons = QDialogButtonBox(self)
        self.rotate_button: QPushButton | None = None
        if offer_rotate:
            self.rotate_button = buttons.addButton(
                ctx.t("gui.connections.rotate"), QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.rotate_button.setObjectName("dialogRotateButton")
        close = buttons.addButton(
            ctx.t("gui.connections.close"), QDialogButtonBox.ButtonRole.RejectRole
        )
        close.setObjectName("dialogCloseButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 360)
        close.setFocus()


def confirm_box(
    parent: QWidget,
    ctx: WizardContext,
    box_kind: Confirm,
    profile: Profile,
    then: Callable[[Profile], object],
) -> QMessageBox:
    """An «are you sure?» box about `profile`, opened with open(), never exec() (the event
    loop keeps running, and tests can answer); `then` runs with the profile only when the
    user chose the confirm button."""
    t = ctx.t
    box = QMessageBox(
        box_kind.icon, t(box_kind.title), t(box_kind.warning, name=profile.name), parent=parent
    )
    box.setObjectName(box_kind.object_name)
    box.setTextFormat(Qt.TextFormat.PlainText)  # a profile name is the user's text
    yes = box.addButton(t(box_kind.yes), QMessageBox.ButtonRole.AcceptRole)
    back = box.addButton(t("gui.connections.back"), QMessageBox.ButtonRole.RejectRole)
    yes.setObjectName("confirmButton")
    back.setObjectName("backButton")
    box.setDefaultButton(back)  # the safe answer on Enter
    box.setEscapeButton(back)

    # A message box's custom buttons finish with their index, not Accepted: ask
    # which button it was.
    chosen = profile

    def answered(_result: int) -> None:
        clicked = box.clickedButton()
        if clicked is not None and clicked.objectName() == "confirmButton":
            then(chosen)

    box.finished.connect(answered)
    box.open()
    return box


def rename_dialog(
    parent: QWidget, ctx: WizardContext, profile: Profile, then: Callable[[str], object]
) -> QInputDialog:
    """«Renombrar»: the name to give `profile`; `then(new_name)` when the user confirms."""
    dialog = QInputDialog(parent)
    dialog.setObjectName("renameDialog")
    dialog.setWindowTitle(ctx.t("gui.connections.rename_title"))
    dialog.setLabelText(ctx.t("gui.connections.rename_label", name=profile.name))
    dialog.setTextValue(profile.name)
    dialog.setOkButtonText(ctx.t("gui.connections.rename_yes"))
    dialog.setCancelButtonText(ctx.t("gui.connections.back"))
    edit = dialog.findChild(QLineEdit)
    if edit is not None:
        # Room for a company's full name (the dialog sizes itself to its layout).
        edit.setMinimumWidth(380)
        edit.setAccessibleName(ctx.t("gui.connections.rename_name"))
        edit.setObjectName("renameEdit")
    dialog.textValueSelected.connect(then)
    dialog.open()
    return dialog
