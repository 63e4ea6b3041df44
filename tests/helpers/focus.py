"""Is the keyboard focus where a person can see it? Measured on the real widgets:

- something has the focus, in this window, and Qt says it has it (the style then draws
  its focus frame or caret: `hasFocus()` is what QStyleOption's State_HasFocus is made of);
- it is shown, enabled, not of zero size, and a Tab stop (its focus policy has TabFocus);
- it lies inside the window (a widget in a scroll area may reach past it: see next), and
  no scroll area has it scrolled out of view: the part of
  it its ancestors let through is all of it, or, for a widget taller or wider than the
  scroll area's viewport, all the viewport shows.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget

from tests.helpers.layout import clipped_rect, describe, window_rect


def _viewport(widget: QWidget) -> QWidget | None:
    """The innermost scroll area viewport the widget lies in."""
    node = widget.parentWidget()
    while node is not None:
        area = node.parentWidget()
        if isinstance(area, QAbstractScrollArea) and node is area.viewport():
            return node
        node = area
    return None


def _rect(value: object) -> QRect | None:
    if isinstance(value, QRectF):
        return value.toAlignedRect()
    return value if isinstance(value, QRect) else None


def focus_problems(window: QWidget) -> list[str]:
    widget = QApplication.focusWidget()
    if widget is None:
        return ["nothing has the focus"]
    name = describe(widget)
    if widget.window() is not window:
        return [f"the focus is in another window: {name}"]
    found = []
    if not widget.hasFocus():
        found.append(f"focus widget without hasFocus(): {name}")
    if not widget.isVisible():
        found.append(f"the focus is on a hidden widget: {name}")
    if widget.size().isEmpty():
        found.append(f"the focus is on a zero-size widget: {name}")
    if not widget.isEnabled():
        found.append(f"the focus is on a disabled widget: {name}")
    if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
        found.append(f"the focus is on a widget Tab never reaches: {name}")
    whole = window_rect(widget, window)
    viewport = _viewport(widget)
    if viewport is None and not window.rect().contains(whole):
        found.append(f"the focus is outside the window: {name} at {whole}")
    # What shows the focus: a table's current cell, a text's caret or focused link (Qt's
    # own "micro focus", which QScrollArea.ensureWidgetVisible scrolls to), else all of it.
    query = Qt.InputMethodQuery.ImCursorRectangle
    micro = _rect(widget.inputMethodQuery(query))
    if micro is not None and micro != _rect(QWidget.inputMethodQuery(widget, query)):
        whole = QRect(widget.mapTo(window, micro.topLeft()), micro.size())
        whole = whole.intersected(window_rect(widget, window))
    seen = whole.intersected(clipped_rect(widget, window))
    room = clipped_rect(viewport, window) if viewport is not None else window.rect()
    need_h = min(whole.height(), room.height())
    need_w = min(whole.width(), room.width())
    if seen.isEmpty() or seen.height() < need_h or seen.width() < need_w:
        found.append(
            f"the focus is scrolled out of view: {name} shows {seen.width()}x{seen.height()}"
            f" of {whole.width()}x{whole.height()}"
        )
    return found
