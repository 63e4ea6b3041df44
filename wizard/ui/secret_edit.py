"""Line edits that catch every paste before Qt inserts it, and one that never holds its
secret in Qt at all.

Qt sends every change of a QLineEdit to the accessibility bus (AT-SPI text-changed events
carry the inserted and removed text), password mode included, and keeps an undo history.
So the token lives in Python only: SecretEdit's Qt text is one bullet per character, and
its text(), accessible text, undo history and change events hold bullets. Pastes, from the
keyboard (Ctrl+V, Shift+Insert), the context menu, a middle click (X11's PRIMARY
selection) or a drop, reach `paste_handler` before anything is inserted, in both classes:
the credentials page cleans them and sends a token to the token field.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QClipboard,
    QContextMenuEvent,
    QDropEvent,
    QGuiApplication,
    QInputMethodEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
)
from PySide6.QtWidgets import QLineEdit, QMenu, QWidget

BULLET = "•"
# What a paste handler gets: the pasted text and the selection it replaces (start, end).
PasteHandler = Callable[[str, int, int], None]
# Key sequences that would bring back what the field held before (its history is ours).
HISTORY_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)


def _is_paste(event: QKeyEvent) -> bool:
    """Ctrl+V, Shift+Insert (the platform's paste keys), and Ctrl+Y, which Qt's line
    edits take as the Emacs "yank" (a paste) where it is not Redo (Windows). On macOS the
    Ctrl key is Qt's Meta."""
    if event.matches(QKeySequence.StandardKey.Paste):
        return True
    ctrl_key = (
        Qt.KeyboardModifier.MetaModifier
        if sys.platform == "darwin"
        else Qt.KeyboardModifier.ControlModifier
    )
    yank = event.key() == Qt.Key.Key_Y and event.modifiers() == ctrl_key
    return yank and not event.matches(QKeySequence.StandardKey.Redo)


def _is_shortcut(event: QKeyEvent) -> bool:
    """Ctrl+A and its kind (Cmd on macOS) carry a letter too; Ctrl+Alt is Windows' AltGr,
    which types characters."""
    mods = event.modifiers()
    command = mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier)
    return bool(command) and not mods & Qt.KeyboardModifier.AltModifier


class PasteGuardEdit(QLineEdit):
    """A QLineEdit whose pastes go to `paste_handler` (text, selection start, end) instead
    of being inserted; without a handler a paste is inserted as typed text would be."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paste_handler: PasteHandler | None = None

    # --- the routes a paste takes ---
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _is_paste(event):
            self.paste_from(QClipboard.Mode.Clipboard)
            event.accept()
            return
        super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton and not self.isReadOnly():
            # X11's paste of the PRIMARY selection, where the pointer is.
            self.setCursorPosition(self.cursorPositionAt(event.position().toPoint()))
            self.paste_from(QClipboard.Mode.Selection)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        if self.isReadOnly() or not mime.hasText():
            event.ignore()
            return
        self.setCursorPosition(self.cursorPositionAt(event.position().toPoint()))
        self.deselect()
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.receive_paste(mime.text())

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.context_menu_at(event.globalPos())

    def context_menu_at(self, where: QPoint) -> None:
        """Qt's own menu (in the user's language), its «Pegar» routed through the handler."""
        menu = self.createStandardContextMenu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.setObjectName("editMenu")
        paste = menu.findChild(QAction, "edit-paste")
        if paste is not None:
            paste.triggered.disconnect()
            paste.triggered.connect(lambda: self.paste_from(QClipboard.Mode.Clipboard))
        self.adjust_menu(menu)
        menu.popup(where)

    def adjust_menu(self, menu: QMenu) -> None:
        """Subclasses take out what they must not offer."""

    # --- what a paste does ---
    def paste_from(self, mode: QClipboard.Mode) -> None:
        if self.isReadOnly():
            return
        text = QGuiApplication.clipboard().text(mode)
        if text:
            self.receive_paste(text)

    def receive_paste(self, text: str) -> None:
        start, end = self.selection_range()
        if self.paste_handler is not None:
            self.paste_handler(text, start, end)
        else:
            self.insert_text(text)

    def selection_range(self) -> tuple[int, int]:
        if self.hasSelectedText():
            start = self.selectionStart()
            return start, start + len(self.selectedText())
        return self.cursorPosition(), self.cursorPosition()

    def insert_text(self, text: str) -> None:
        self.insert(text)


class SecretEdit(PasteGuardEdit):
    """The token field: the token in Python only (token(), set_token()), bullets in Qt.

    `secretEdited(pasted)` follows every change the user makes (never set_token's); it
    carries no text: read token()."""

    secretEdited = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._secret = ""
        self._syncing = False
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)
        self.textChanged.connect(self._follow_qt_edit)

    # --- the public API ---
    def token(self) -> str:
        return self._secret

    def set_token(self, token: str) -> None:
        """Replace the whole token (a cleaned paste, the demo account, a reset)."""
        self._show(token, len(token))

    def insert_text(self, text: str) -> None:
        """Insert `text` at the cursor (over the selection), as typing it would."""
        start, end = self.selection_range()
        self._show(self._secret[:start] + text + self._secret[end:], start + len(text))

    # --- typing ---
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if any(event.matches(key) for key in HISTORY_KEYS):
            event.accept()  # no history: an old token never comes back
            return
        text = event.text()
        if text and text.isprintable() and not _is_shortcut(event):
            self.insert_text(text)
            self.secretEdited.emit(False)
            event.accept()
            return
        super().keyPressEvent(event)  # moves, selections, deletions: bullets only

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        text = event.commitString()
        if text:
            self.insert_text(text)
            self.secretEdited.emit(False)
        event.accept()

    def adjust_menu(self, menu: QMenu) -> None:
        for name in ("edit-undo", "edit-redo"):
            action = menu.findChild(QAction, name)
            if action is not None:
                menu.removeAction(action)

    def receive_paste(self, text: str) -> None:
        if self.paste_handler is not None:
            super().receive_paste(text)
            return
        self.insert_text(text)
        self.secretEdited.emit(True)

    # --- keeping Qt's text to bullets ---
    def _show(self, secret: str, cursor: int) -> None:
        self._secret = secret
        self._syncing = True
        try:
            self.setText(BULLET * len(secret))  # setText also clears Qt's undo history
        finally:
            self._syncing = False
        self.setCursorPosition(cursor)

    def _follow_qt_edit(self, text: str) -> None:
        """An edit Qt made itself: a deletion (by key or menu: bullets removed, the cursor
        where they were), or an assistive technology writing the field (one contiguous
        change, found by comparing with the bullets; then shown as bullets at once)."""
        if self._syncing:
            return
        old = len(self._secret)
        if len(text) <= old and text == BULLET * len(text):
            start = min(self.cursorPosition(), len(text))
            self._secret = self._secret[:start] + self._secret[start + old - len(text) :]
        else:
            prefix = 0
            while prefix < min(old, len(text)) and text[prefix] == BULLET:
                prefix += 1
            suffix = 0
            while suffix < min(old - prefix, len(text) - prefix) and text[-1 - suffix] == BULLET:
                suffix += 1
            middle = text[prefix : len(text) - suffix]
            self._show(
                self._secret[:prefix] + middle + self._secret[old - suffix :],
                len(text) - suffix,
            )
        self.secretEdited.emit(False)
