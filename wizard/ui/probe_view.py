"""The plan check on the check page, verdict first: one line per gap («Tu plan no incluye:
Bancos, Comprobantes contables» and what to do), the full table behind «Ver detalle»;
while it runs, the seconds so far and a Cancel of its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wizard import hints
from wizard.ui import style
from wizard.ui.base import BasePage, disclosure, make_label, tone, tone_colour
from wizard.ui.worker import Outcome, Worker

if TYPE_CHECKING:
    from wizard.probe import ProbeResult

TICK_MS = 1000


class ProbeView(QWidget):
    """After a successful check: what this connection can use. Runs on a Worker; Back, a
    new check or «Cancelar la revisión» drops a stale answer."""

    def __init__(self, page: BasePage, parent: QWidget | None = None) -> None:
        super().__init__(parent or page)
        self.ctx = page.ctx
        self.setObjectName("probeView")
        self.worker = Worker(self)
        self.worker.done.connect(self._done)
        self._clock = QElapsedTimer()
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._show_running)
        self._state = "idle"  # idle | running | done | failed | cancelled
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(style.XS)
        self.summary = make_label(self, name="probeSummary", selectable=True)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("probeCancelButton")
        page.bind(self.cancel_button.setText, "probe.cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.details_toggle = disclosure(page, "probeDetailsToggle", "probe.details", self._open)
        row = QHBoxLayout()
        row.setSpacing(style.S)
        row.addWidget(self.details_toggle)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        self.details = QWidget(self)
        self.details.setObjectName("probeDetails")
        inner = QVBoxLayout(self.details)
        inner.setContentsMargins(0, 0, 0, 0)
        self.heading = make_label(self.details, name="probeHeading")
        self.heading.setStyleSheet("QLabel { font-weight: bold; }")
        self.status = make_label(self.details, name="probeStatus")
        self.table = _table(self.details)
        self.advice = make_label(self.details, name="probeAdvice", selectable=True)
        for widget in (self.heading, self.status, self.table, self.advice):
            inner.addWidget(widget)
        layout.addWidget(self.summary)
        layout.addLayout(row)
        layout.addWidget(self.details)
        self.reset()

    @property
    def busy(self) -> bool:
        return self.worker.busy

    def reset(self) -> None:
        self.worker.cancel()
        self._tick.stop()
        self._state = "idle"
        self.ctx.probe_result = None
        # Emptied, not only hidden: a screen reader walks a hidden table's cells too, and
        # must not read an earlier «✔ disponible» after a later failure.
        self.table.setRowCount(0)
        self.advice.clear()
        self.details_toggle.setChecked(False)
        self.hide()

    def start(self) -> None:
        email, token, base_url, probe = (
            self.ctx.email, self.ctx.token, self.ctx.base_url, self.ctx.probe,
        )  # fmt: skip
        self.ctx.probe_result = None
        self.worker.run(lambda cancel: probe(email, token, base_url, cancel), name="probe")
        self._state = "running"
        self._clock.start()
        self._tick.start()
        self.show_result()
        self.show()

    def cancel(self) -> None:
        if not self.worker.busy:
            return
        self.worker.cancel()
        self._tick.stop()
        self._state = "cancelled"
        self.show_result()

    def _done(self, outcome: Outcome) -> None:
        self._tick.stop()
        if outcome.error is None:
            self.ctx.probe_result = outcome.value
            self._state = "done"
        else:
            self._state = "failed"
        self.show_result()

    def _show_running(self) -> None:
        seconds = int(self._clock.elapsed() / 1000) if self._clock.isValid() else 0
        self.summary.setText(self.ctx.t("probe.summary.running", seconds=seconds))

    def show_result(self) -> None:
        """The summary line(s) and what «Ver detalle» holds, for the state it is in."""
        t = self.ctx.t
        self.heading.setText(t("probe.title"))
        self.table.setAccessibleName(t("probe.title"))
        running = self._state == "running"
        self.cancel_button.setVisible(running)
        result = self.ctx.probe_result
        self.details_toggle.setVisible(result is not None)
        if result is None:
            self.details_toggle.setChecked(False)
            self.details.hide()
            if running:
                self._show_running()
            else:
                ended = "cancelled" if self._state == "cancelled" else "failed"
                self.summary.setText(t(f"probe.summary.{ended}"))
            style.restyle(self.summary, "")
            return
        lines = hints.probe_summary(result, self.ctx.lang)
        self.summary.setText("\n".join(lines))
        gaps = any(row.status in ("not_in_plan", "no_permission") for row in result.rows)
        style.restyle(self.summary, tone("caution", bold=True) if gaps else tone("ok"))
        self.status.setText(t("probe.intro"))
        self._fill(result)
        advice = hints.probe_advice(result, self.ctx.lang)
        self.advice.setText("\n\n".join(advice))
        self.advice.setVisible(bool(advice))
        self.details.setVisible(self.details_toggle.isChecked())

    def _open(self, shown: bool) -> None:
        self.details.setVisible(shown and self.ctx.probe_result is not None)

    def _fill(self, result: ProbeResult) -> None:
        self.table.setRowCount(len(result.rows))
        colours = {"available": "ok", "not_in_plan": "error", "no_permission": "error"}
        for row_index, row in enumerate(result.rows):
            name = QTableWidgetItem(self.ctx.t(f"probe.resource.{row.key}"))
            status = QTableWidgetItem(hints.probe_status_text(row.status, self.ctx.lang))
            if row.status in colours:
                status.setForeground(QColor(tone_colour(colours[row.status])))
            self.table.setItem(row_index, 0, name)
            self.table.setItem(row_index, 1, status)
        row_height = self.table.fontMetrics().height() + 10
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        self.table.verticalHeader().setMinimumSectionSize(row_height)
        height = row_height * self.table.rowCount()
        self.table.setFixedHeight(height + 2 * self.table.frameWidth())


def _table(parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, 2, parent)
    table.setObjectName("permissionsTable")
    table.verticalHeader().hide()
    table.horizontalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    # Tab walks the page's controls, not the table's cells (no keyboard trap).
    table.setTabKeyNavigation(False)
    # One line per row, every row the same height, the whole table shown: the page
    # scrolls, not the table (rows sized to a not-yet-laid-out column were erratic).
    table.setWordWrap(False)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustIgnored)
    return table
