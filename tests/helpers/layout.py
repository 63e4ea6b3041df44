"""What a person would see as broken in a window, measured on the real widgets:

- two visible widgets that are not parent and child drawn over each other;
- a label's, button's, box's or field's text that does not fit its rectangle;
- a widget cut off by its surroundings with no scroll bar to reach the rest;
- a window larger than its screen's available area.

Each widget's rectangle is mapped to the window and clipped by every ancestor (what
`visibleRegion()` gives, minus its subtraction of opaque siblings: that subtraction would
hide exactly the overlaps we look for).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QComboBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QScrollBar,
    QVBoxLayout,
    QWidget,
)

# Qt's own parts of composite widgets (scroll bar containers, a combo's popup frame,
# a line edit's side buttons): laid out by Qt itself, judged through their owner.
INTERNAL_PREFIX = "qt_"


def describe(widget: QWidget) -> str:
    chain = []
    node: QWidget | None = widget
    while node is not None and len(chain) < 4:
        chain.append(node.objectName() or type(node).__name__)
        node = node.parentWidget()
    text = ""
    if isinstance(widget, (QLabel, QAbstractButton)):
        text = f" «{widget.text()[:40]}»"
    return "/".join(reversed(chain)) + text


def window_rect(widget: QWidget, window: QWidget) -> QRect:
    top_left = widget.mapTo(window, QPoint(0, 0))
    return QRect(top_left, widget.size())


def clipped_rect(widget: QWidget, window: QWidget) -> QRect:
    return _Rects(window).clipped(widget)


class _Rects:
    """Each widget's rectangle in the window, whole and clipped by its ancestors, worked out
    once per check: every widget asks again for the same ancestors (a page's checks asked
    Qt for ~35 000 rectangles)."""

    def __init__(self, window: QWidget) -> None:
        self.window = window
        self._whole: dict[QWidget, QRect] = {}
        self._clipped: dict[QWidget, QRect] = {}

    def whole(self, widget: QWidget) -> QRect:
        rect = self._whole.get(widget)
        if rect is None:
            rect = self._whole[widget] = window_rect(widget, self.window)
        return rect

    def clipped(self, widget: QWidget) -> QRect:
        """The widget's rectangle cut by every ancestor up to the window, and the window."""
        rect = self._clipped.get(widget)
        if rect is None:
            parent = widget.parentWidget()
            if parent is None or parent is self.window:
                outer = self.window.rect()
            else:
                outer = self.clipped(parent)
            rect = self._clipped[widget] = self.whole(widget).intersected(outer)
        return rect


def _internal(widget: QWidget, window: QWidget) -> bool:
    node: QWidget | None = widget
    while node is not None and node is not window:
        name = node.objectName()
        if name.startswith(INTERNAL_PREFIX) and name != "qt_scrollarea_viewport":
            return True
        parent = node.parentWidget()
        # Inside a text view or table: its cells and document are not widgets of ours.
        if isinstance(parent, QAbstractScrollArea) and node is not parent.viewport():
            return not isinstance(node, QScrollBar)
        node = parent
    return False


def shown_widgets(window: QWidget) -> list[QWidget]:
    return [
        w
        for w in window.findChildren(QWidget)
        if w.isVisible() and w.window() is window and not w.size().isEmpty()
        and not _internal(w, window)
    ]  # fmt: skip


def _related(a: QWidget, b: QWidget) -> bool:
    return a.isAncestorOf(b) or b.isAncestorOf(a)


def overlaps(window: QWidget, widgets: list[QWidget], rects: _Rects | None = None) -> list[str]:
    """Two widgets, neither inside the other, sharing more than a 1-px line. Reported in
    the widgets' order, each pair once."""
    rects = rects or _Rects(window)
    # (left, top, right, bottom) as plain ints, swept left to right: a box only meets those
    # that start before it ends (a page has ~150 widgets: most pairs are never compared)
    boxes = []
    for n, w in enumerate(widgets):
        r = rects.clipped(w)
        if not r.isEmpty():
            boxes.append((r.left(), r.top(), r.right(), r.bottom(), n))
    boxes.sort()
    pairs = []
    for k, (_al, at, ar, ab, an) in enumerate(boxes):
        for bl, bt, br, bb, bn in boxes[k + 1 :]:
            # QRect's right/bottom are inclusive: the common part is more than 1 px wide
            # and high exactly when min(right) - max(left) >= 1, the same for top/bottom
            if bl > ar - 1:
                break  # this box and every later one start too far right
            if (ar if ar < br else br) - bl >= 1 and (ab if ab < bb else bb) - (
                at if at > bt else bt
            ) >= 1:
                pairs.append((an, bn) if an < bn else (bn, an))
    found = []
    for an, bn in sorted(pairs):
        a, b = widgets[an], widgets[bn]
        if not _related(a, b):
            common = rects.clipped(a).intersected(rects.clipped(b))
            found.append(f"overlap: {describe(a)} and {describe(b)} at {common}")
    return found


def text_fits(widgets: list[QWidget]) -> list[str]:
    found = []
    for w in widgets:
        size = w.size()
        if isinstance(w, QLabel):
            if not w.text():
                continue
            if w.wordWrap():
                need = w.heightForWidth(size.width())
                if need > size.height():
                    found.append(f"text cut: {describe(w)} needs {need} px, has {size.height()}")
                # A word longer than the line (a web address) runs off the side.
                room = w.contentsRect().adjusted(w.indent() if w.indent() > 0 else 0, 0, 0, 0)
                flags = int(Qt.TextFlag.TextWordWrap) | int(w.alignment().value)
                wide = (
                    w.fontMetrics()
                    .boundingRect(QRect(0, 0, room.width(), 100_000), flags, w.text())
                    .width()
                )
                if wide > room.width() + 1:
                    found.append(f"text cut: {describe(w)} is {wide} px wide, has {room.width()}")
                continue
            hint = w.sizeHint()
        elif isinstance(w, (QAbstractButton, QComboBox, QLineEdit)):
            if isinstance(w, QAbstractButton) and not w.text():
                continue
            hint = w.minimumSizeHint()
        else:
            continue
        if hint.width() > size.width() or hint.height() > size.height():
            found.append(
                f"text cut: {describe(w)} needs {hint.width()}x{hint.height()},"
                f" has {size.width()}x{size.height()}"
            )
    return found


def reachable(window: QWidget, widgets: list[QWidget], rects: _Rects | None = None) -> list[str]:
    """A widget cut by an ancestor must be cut by a scroll area's viewport whose scroll
    bar (in that direction) is showing."""
    rects = rects or _Rects(window)
    found = []
    for w in widgets:
        whole = rects.whole(w)
        node = w.parentWidget()
        while node is not None and node is not window:
            box = rects.whole(node)
            if not box.contains(whole):
                area = node.parentWidget()
                if isinstance(area, QAbstractScrollArea) and node is area.viewport():
                    cut_v = whole.top() < box.top() or whole.bottom() > box.bottom()
                    cut_h = whole.left() < box.left() or whole.right() > box.right()
                    bars = []
                    if cut_v:
                        bars.append(area.verticalScrollBar())
                    if cut_h:
                        bars.append(area.horizontalScrollBar())
                    if all(b.isVisible() and b.maximum() > 0 for b in bars):
                        break
                found.append(f"cut off, no scroll bar: {describe(w)} by {describe(node)}")
                break
            node = node.parentWidget()
        if not window.rect().contains(whole) and node is window:
            found.append(f"outside the window: {describe(w)}")
    return found


def no_sideways_page(window: QWidget) -> list[str]:
    """A page body that needs a horizontal scroll bar: reachable, but a person reads a
    page that scrolls sideways as broken (something in it does not wrap)."""
    return [
        f"the page scrolls sideways: {describe(area)} needs"
        f" {area.widget().minimumSizeHint().width()} px, has {area.viewport().width()}"
        for area in window.findChildren(QScrollArea)
        if area.objectName() == "pageScroll" and area.isVisible()
        and area.horizontalScrollBar().isVisible() and area.widget() is not None
    ]  # fmt: skip


def fits_screen(window: QWidget) -> list[str]:
    screen = window.screen()
    room = screen.availableGeometry()
    frame = window.frameGeometry()
    if frame.width() > room.width() or frame.height() > room.height():
        return [f"window {frame.width()}x{frame.height()} larger than the screen {room}"]
    return []


def problems(window: QWidget) -> list[str]:
    return [*fits_screen(window), *widget_problems(window)]


def widget_problems(window: QWidget) -> list[str]:
    """Everything but the screen check (in-process tests run on whatever screen
    the offscreen platform gives them)."""
    widgets = shown_widgets(window)
    rects = _Rects(window)
    return [
        *overlaps(window, widgets, rects),
        *text_fits(widgets),
        *reachable(window, widgets, rects),
        *no_sideways_page(window),
    ]


def scrolled_rows(
    rows: int = 30, extra: tuple[QWidget, ...] = ()
) -> tuple[QWidget, QScrollArea, QVBoxLayout, QWidget]:
    """A 300x200 window whose scroll area holds `rows` labels (then `extra`): content
    below the fold, for the checks' own tests. Returns (window, area, its layout, its
    content); not shown yet."""
    window = QWidget()
    layout = QVBoxLayout(window)
    area = QScrollArea(window)
    area.setWidgetResizable(True)
    content = QWidget()
    inner = QVBoxLayout(content)
    for n in range(rows):
        inner.addWidget(QLabel(f"Fila {n}", content))
    for widget in extra:
        widget.setParent(content)
        inner.addWidget(widget)
    area.setWidget(content)
    layout.addWidget(area)
    window.resize(300, 200)
    return window, area, inner, content


def walk_pages(wizard: Any) -> Iterator[Any]:
    """Every page in order, each yielded while it shows, pressing Next as a user would
    (the demo account on the paste page, the sandbox's answer on the test page)."""
    import time

    from PySide6.QtWidgets import QApplication

    from wizard.ui.pages import PAGES

    for _ in range(len(PAGES)):
        page = wizard.currentPage()
        QApplication.processEvents()
        yield page
        if page is wizard.done_page:
            return
        if page is wizard.credentials:
            page.use_demo_account()
        wizard.next()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:  # the save and the test run on a worker
            QApplication.processEvents()
            current = wizard.currentPage()
            if current is not page and (current is not wizard.test or not current.busy):
                break
            time.sleep(0.01)
