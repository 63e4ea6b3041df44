"""A rich text view exactly as tall as its text (the test page's failure card).

Its own module: QTextBrowser's class (and its enums) costs start-up time, and page one,
the only page built before the first paint, has none.
"""

from __future__ import annotations

import math

from PySide6 import QtCore
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QSizePolicy, QTextBrowser, QWidget

from wizard.ui import style


class FitBrowser(QTextBrowser):
    """A read-only rich text (a hint's causes, steps and link) exactly as tall as its
    text, so the page's scroll area scrolls it with the rest of the page: no box inside
    a box with its own scroll bar, no text squeezed under the buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        off = QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        self.setVerticalScrollBarPolicy(off)
        self.setHorizontalScrollBarPolicy(off)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)

    def _fit(self, *_: object) -> None:
        margins = self.contentsMargins()
        height = math.ceil(self.document().size().height()) + margins.top() + margins.bottom()
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab walks the links inside the text without leaving it (no signal says so), and
        the page's scroll area never hears of it: scroll it to the focused link here."""
        moved = super().focusNextPrevChild(next)
        if moved and self.hasFocus():
            node = self.parentWidget()
            while node is not None and not isinstance(node, QScrollArea):
                node = node.parentWidget()
            body = node.widget() if node is not None else None
            if node is not None and body is not None:
                spot = self.viewport().mapTo(body, self.cursorRect().center())
                node.ensureVisible(spot.x(), spot.y(), style.XL, style.XL)
        return moved
