"""The step list beside the pages: the whole journey, where the user is, what is done.

One label per page (ticked when done, highlighted when current). On a narrow window
(a 1280x720 laptop at 150 %, 2x scale) it shows the numbers only, with the full name
still in each label's accessible name and tooltip, so the page keeps its room.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from wizard.ui import pages, style
from wizard.ui.context import WizardContext

# DESIGN's pages, in order (the PAGES table): the list follows them.
STEP_PAGES = pages.NAMES
DONE = "✔"


class StepList(QFrame):
    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("stepList")
        # As wide as the longest name needs (in this language, at this font), no wider.
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.current = 0
        self.compact = False
        self._layout = layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setObjectName("stepListHeading")
        layout.addWidget(self.heading)
        layout.addSpacing(style.XS)
        self.items: list[QLabel] = []
        for name in STEP_PAGES:
            label = QLabel(self)
            label.setObjectName(f"step_{name}")
            self.items.append(label)
            layout.addWidget(label)
        layout.addStretch(1)
        self.retranslate()
        ctx.languageChanged.connect(self.retranslate)

    def set_current(self, page_name: str) -> None:
        if page_name in STEP_PAGES and STEP_PAGES.index(page_name) != self.current:
            self.current = STEP_PAGES.index(page_name)
            self.retranslate()

    def set_compact(self, on: bool) -> None:
        if on != self.compact:
            self.compact = on
            self.retranslate()

    def retranslate(self, *_: object) -> None:
        t = self.ctx.t
        # Each step's name is its page's title: the header and the list say the same.
        names = [t(page.title) for page in pages.PAGES]
        self.heading.setText("" if self.compact else t("gui.steps.title"))
        self.heading.setVisible(not self.compact)
        self.setAccessibleName(t("gui.steps.title"))
        accent, muted = style.colour("accent"), style.colour("muted")
        for index, (label, name) in enumerate(zip(self.items, names, strict=True)):
            number = str(index + 1)
            if index < self.current:
                marker, state, colour, weight = DONE, "done", style.colour("ok"), "normal"
            elif index == self.current:
                marker, state, colour, weight = number, "current", accent, "bold"
            else:
                marker, state, colour, weight = number, "todo", muted, "normal"
            label.setText(marker if self.compact else f"{marker}   {name}")
            described = t(f"gui.steps.{state}", n=number, total=len(names), name=name)
            label.setAccessibleName(described)
            label.setToolTip(described)
            edge = accent if index == self.current else "transparent"
            padding = f"2px {style.XS + 2}px" if self.compact else f"{style.XS}px {style.S}px"
            sheet = (
                f"QLabel {{ color: {colour}; font-weight: {weight};"
                f" border-left: 3px solid {edge}; padding: {padding}; }}"
            )
            style.restyle(label, sheet)  # a page change touches two items
        if self.compact:
            self._layout.setContentsMargins(style.S, style.S, style.XS, style.S)
            self._layout.setSpacing(0)
        else:
            self._layout.setContentsMargins(style.M, style.L, style.S, style.L)
            self._layout.setSpacing(style.XS)
        self.setFixedWidth(self._widest(names))

    def _widest(self, names: list[str]) -> int:
        """One width whichever step is current (bold) or done (✔), so the pages beside
        the list never move by a pixel on Next."""
        from PySide6.QtGui import QFont, QFontMetrics

        bold = QFont(self.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        texts = []
        for number, name in enumerate(names, 1):
            for marker in (str(number), DONE):
                texts.append(marker if self.compact else f"{marker}   {name}")
        widest = max(metrics.horizontalAdvance(text) for text in texts)
        # What each label adds around its text (its sheet's padding and edge).
        extra = max(
            label.sizeHint().width() - label.fontMetrics().horizontalAdvance(label.text())
            for label in self.items
        )
        heading = self.heading.sizeHint().width() if self.heading.isVisibleTo(self) else 0
        margins = self._layout.contentsMargins()
        return max(widest + extra, heading) + margins.left() + margins.right()
