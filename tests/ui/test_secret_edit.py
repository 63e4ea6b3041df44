"""The token field holds no token in Qt (issue 24): bullets in its text, its accessible
text and its change signals; pastes cleaned and placed before anything is inserted; no
undo history; «Mostrar» in a label of its own. Real widgets, offscreen; what a screen
reader hears over AT-SPI is tests/ui/test_atspi.py."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import (
    QAccessible,
    QClipboard,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
)
from PySide6.QtWidgets import QApplication

from tests.helpers.gui import go_to

OLD = "0a1b2c3d4e5f6a7b8c9d"
NEW = "9z8y7x6w5v4u3t2s1r0q"


def page_of(make_wizard):  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", "es")
    go_to(wizard, wizard.credentials)
    return wizard.credentials


def paste(qtbot, edit, text: str, *, over_all: bool = False) -> None:  # type: ignore[no-untyped-def]
    QGuiApplication.clipboard().setText(text)
    edit.setFocus()
    if over_all:
        edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_the_field_s_text_signals_and_accessible_text_are_bullets(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = page_of(make_wizard)
    edit = page.tokenEdit
    seen: list[str] = []
    edit.textChanged.connect(seen.append)
    edit.textEdited.connect(seen.append)
    paste(qtbot, edit, f'  "{NEW}" ')
    qtbot.keyClicks(edit, "ab")
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert edit.token() == NEW + "a"
    assert edit.text() == "•" * 21
    value = QAccessible.queryAccessibleInterface(edit).text(QAccessible.Text.Value)
    assert len(value) == 21 and not set(value) & set(NEW + "ab")  # Qt's own mask
    assert seen and all(set(text) <= {"•"} for text in seen)


def test_ctrl_z_after_show_brings_back_no_old_token(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = page_of(make_wizard)
    page.emailEdit.setText("ana@empresa.co")
    edit = page.tokenEdit
    paste(qtbot, edit, OLD)
    paste(qtbot, edit, NEW, over_all=True)
    qtbot.mouseClick(page.show_button, Qt.MouseButton.LeftButton)
    assert page.token_shown.text() == NEW and not page.token_shown.isHidden()
    assert page.token_shown.textInteractionFlags() == Qt.TextInteractionFlag.NoTextInteraction
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    undo_redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(edit, Qt.Key.Key_Z, undo_redo)
    assert edit.token() == NEW and page.token_shown.text() == NEW
    assert OLD not in edit.text() + page.token_shown.text() + page.emailEdit.text()
    assert not edit.isUndoAvailable()
    if QGuiApplication.clipboard().supportsSelection():
        assert NEW not in QGuiApplication.clipboard().text(QClipboard.Mode.Selection)
    qtbot.mouseClick(page.show_button, Qt.MouseButton.LeftButton)
    assert page.token_shown.text() == "" and page.token_shown.isHidden()


def test_the_context_menu_pastes_through_the_page_and_offers_no_undo(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = page_of(make_wizard)
    edit = page.tokenEdit
    QGuiApplication.clipboard().setText(f"Token: {NEW}")
    edit.context_menu_at(edit.mapToGlobal(QPoint(5, 5)))
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    menu = QApplication.activePopupWidget()
    names = [a.objectName() for a in menu.actions()]
    assert "edit-undo" not in names and "edit-redo" not in names
    next(a for a in menu.actions() if a.objectName() == "edit-paste").trigger()
    menu.close()
    assert edit.token() == NEW  # cleaned: the label went
    assert page.notes["token"].text()


def test_a_token_dropped_or_pasted_into_usuario_goes_to_the_token(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = page_of(make_wizard)
    email = page.emailEdit
    email.setText("ana@empresa.co")
    mime = QMimeData()
    mime.setText(NEW)
    drag = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(email, QDragEnterEvent(QPoint(5, 5), *drag))
    QApplication.sendEvent(email, QDropEvent(QPointF(5, 5), *drag))
    assert (email.text(), page.tokenEdit.token()) == ("ana@empresa.co", NEW)
    page.tokenEdit.set_token("")
    email.receive_paste(f"ana@empresa.co:{OLD}")  # what a middle click hands over
    assert (email.text(), page.tokenEdit.token()) == ("ana@empresa.co", OLD)
    assert page.both_label.text()
