"""What Enter means in the wizard, in one place: it presses the focused button or
disclosure («Abrir Alegra en el navegador», «¿No la encuentras?», «Volver a los datos»);
only with the focus in a field (or on nothing) does it fall through to Qt's dialog
default, Next or Finish. Escape stays QDialog's: reject(), the wizard's Cancel."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QCheckBox, QRadioButton, QWidget

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def pressed_by_enter(widget: QWidget | None) -> QAbstractButton | None:
    """The button Enter presses when `widget` has the focus: a push or tool button that can
    be pressed now. Check boxes and radio buttons are fields: Space ticks them, Enter goes
    on (the test-mode box on page one, «Continuar sin verificar»)."""
    if not isinstance(widget, QAbstractButton) or isinstance(widget, QCheckBox | QRadioButton):
        return None
    if not (widget.isEnabled() and widget.isVisible()):
        return None
    return widget


class EnterPressesFocus(QObject):
    """An event filter on the wizard. Qt hands a key a button ignores on to the button's
    parents, up to the dialog (which would press its default, Next): the filter sees it
    there, with the focus still on the button, and presses that button instead."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.window or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if event.key() not in ENTER_KEYS or not plain:
            return False
        focus = QApplication.focusWidget()
        if focus is None or not self.window.isAncestorOf(focus):
            return False
        button = pressed_by_enter(focus)
        if button is None:
            return False
        if not event.isAutoRepeat():  # a held Enter presses once, as a held Space does
            button.click()
        return True


def install(window: QWidget) -> EnterPressesFocus:
    return EnterPressesFocus(window)
