"""Step pictures: our SVG mockups of Alegra's screens, or a support team's PNG.

`resources/screenshots/<lang>/<step>.png` beside the SVG overrides it, so real
screenshots can be dropped in without touching code. The picture keeps its
aspect ratio, fits the room it is given (width and height: on a laptop screen the
whole picture shows without scrolling, down to a legible minimum), and is drawn at the
screen's device pixel ratio so it stays crisp on HiDPI.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from wizard.resources import resource


def step_image_path(step: str, lang: str, root: Path | None = None) -> Path | None:
    """The picture for `step` in `lang`: PNG override first, then the SVG, then Spanish."""
    root = root or resource("screenshots")
    for language in dict.fromkeys((lang, "es")):
        for ext in ("png", "svg"):
            path = root / language / f"{step}.{ext}"
            if path.is_file():
                return path
    return None


class StepImage(QLabel):
    """A QLabel holding a (blank) pixmap only so that screen readers are told it is an
    image (Qt gives a QLabel with a pixmap the Graphic role); it paints itself. A click,
    or Enter/Space while it has the focus, asks for the zoom view (zoomRequested)."""

    zoomRequested = Signal()
    MAX_WIDTH = 800
    LEGIBLE = 0.8
    ZOOM_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)

    def __init__(
        self, step: str, lang: str, parent: QWidget | None = None, root: Path | None = None
    ) -> None:
        super().__init__(parent)
        self.root = root
        self.setObjectName(f"{step}Image")
        self.step = step
        self.lang = lang
        self._svg: QSvgRenderer | None = None
        self._png: QPixmap | None = None
        self._ratio = 0.625
        # Expanding both ways, no height-for-width: the page's scroll area would otherwise
        # make the picture as tall as its width asks and push it below the fold.
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setSizePolicy(policy)
        self.setMinimumSize(240, 150)
        self.setTextFormat(Qt.TextFormat.PlainText)  # it never shows text
        blank = QPixmap(1, 1)
        blank.fill(Qt.GlobalColor.transparent)
        self.setPixmap(blank)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.set_lang(lang)

    @property
    def source(self) -> Path | None:
        return self._source

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self._source = step_image_path(self.step, lang, self.root)
        self._svg, self._png = None, None
        if self._source is not None and self._source.suffix == ".svg":
            renderer = QSvgRenderer(str(self._source), self)
            if renderer.isValid():
                self._svg = renderer
                size = renderer.defaultSize()
                self._ratio = size.height() / max(1, size.width())
        elif self._source is not None:
            pixmap = QPixmap(str(self._source))
            if not pixmap.isNull():
                self._png = pixmap
                self._ratio = pixmap.height() / max(1, pixmap.width())
        self.updateGeometry()
        self.update()

    def natural_size(self) -> QSize:
        """The picture's own size: the SVG's width and height, or the PNG's pixels."""
        if self._svg is not None:
            return self._svg.defaultSize()
        if self._png is not None:
            return self._png.size()
        return QSize(800, round(800 * self._ratio))

    def legible_width(self) -> int:
        """The narrowest the picture may be drawn and still be read: LEGIBLE of its own
        width in physical pixels (its text is 13-17 px), in logical px."""
        return math.ceil(self.LEGIBLE * self.natural_size().width() / self.devicePixelRatioF())

    def drawn_rect(self) -> QRectF:
        """Where the picture is drawn inside the widget (logical px)."""
        return self._target()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.zoomRequested.emit()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in self.ZOOM_KEYS and not event.modifiers():
            self.zoomRequested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def heightForWidth(self, width: int) -> int:
        return round(min(width, self.MAX_WIDTH) * self._ratio)

    def sizeHint(self) -> QSize:
        # Low on purpose: a page's scroll area lays its body out at the preferred heights
        # (word-wrapped labels make it height-for-width), then hands any spare room to
        # the picture. A tall hint would push the picture below the fold on a laptop.
        return QSize(560, 180)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 150)

    def _target(self) -> QRectF:
        width = min(float(self.width()), self.height() / self._ratio, float(self.MAX_WIDTH))
        height = width * self._ratio
        # Centred across, at the top: beside the steps it starts where they start.
        return QRectF((self.width() - width) / 2, 0, width, height)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        target = self._target()
        if self._svg is not None:
            # Vector: rendered at paint time at the device's real resolution.
            self._svg.render(painter, target)
        elif self._png is not None:
            self._paint_png(painter, target)
        if self.hasFocus():  # the focus ring: 2 px in the accent, outside the picture
            from wizard.ui import style

            pen = QPen(QColor(style.focus_colour()), style.FOCUS_WIDTH)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            painter.setPen(pen)
            half = style.FOCUS_WIDTH / 2
            painter.drawRect(target.adjusted(half, half, -half, -half))
        painter.end()

    def _paint_png(self, painter: QPainter, target: QRectF) -> None:
        assert self._png is not None
        dpr = self.devicePixelRatioF()
        scaled = self._png.scaled(
            round(target.width() * dpr),
            round(target.height() * dpr),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        scaled.setDevicePixelRatio(dpr)
        painter.drawPixmap(target.topLeft(), scaled)


class ZoomView(QDialog):
    """The picture at its full size (at least its own width and height, more where the
    screen has room), scrolled if the screen is smaller; Esc or «Cerrar» closes it."""

    def __init__(self, image: StepImage, title: str, close_text: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("zoomView")
        self.setWindowTitle(title)
        self.picture = StepImage(image.step, image.lang, self, image.root)
        self.picture.setObjectName(f"{image.step}ZoomImage")
        self.picture.setAccessibleName(image.accessibleName())
        self.picture.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.picture.setCursor(Qt.CursorShape.ArrowCursor)
        natural = self.picture.natural_size()
        self.picture.setMinimumSize(natural)
        area = QScrollArea(self)
        area.setObjectName("zoomScroll")
        area.setWidgetResizable(True)
        area.setWidget(self.picture)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(close_text)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(area, 1)
        layout.addWidget(buttons)
        screen = parent.screen().availableGeometry()
        want = natural + QSize(40, 80)
        self.resize(min(want.width(), round(screen.width() * 0.95)),
                    min(want.height(), round(screen.height() * 0.9)))  # fmt: skip
