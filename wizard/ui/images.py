"""Step pictures: our SVG mockups of Alegra's screens, or a support team's PNG.

`resources/screenshots/<lang>/<step>.png` beside the SVG overrides it, so real
screenshots can be dropped in without touching code. The picture keeps its
aspect ratio, fits the room it is given (width and height: on a laptop screen the
whole picture shows without scrolling, down to a legible minimum), and is drawn at the
screen's device pixel ratio so it stays crisp on HiDPI.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

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
    image (Qt gives a QLabel with a pixmap the Graphic role); it paints itself."""

    MAX_WIDTH = 760

    def __init__(
        self, step: str, lang: str, parent: QWidget | None = None, root: Path | None = None
    ) -> None:
        super().__init__(parent)
        self._root = root
        self.setObjectName(f"{step}Image")
        self._step = step
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
        self.set_lang(lang)

    @property
    def source(self) -> Path | None:
        return self._source

    def set_lang(self, lang: str) -> None:
        self._source = step_image_path(self._step, lang, self._root)
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
        return QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)

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
