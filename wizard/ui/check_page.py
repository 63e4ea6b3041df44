"""The live check: runs it on entering, shows progress, and renders the one
result object: the company on success, the hint (title, causes, numbered steps,
link) on failure, a countdown after a 429."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QWidget,
)

from wizard import hints, present
from wizard.outcomes import Code
from wizard.ui import style
from wizard.ui.base import (
    BasePage,
    ResultCard,
    announce,
    company_lines,
    disclosure,
    hint_body_html,
    make_label,
    tone,
)
from wizard.ui.brand import NeedsView
from wizard.ui.context import WizardContext
from wizard.ui.fit_browser import FitBrowser
from wizard.ui.probe_view import ProbeView
from wizard.ui.support import DoctorDialog
from wizard.ui.worker import CheckRunner

if TYPE_CHECKING:
    from wizard.check import CheckResult

SLOW_AFTER_S = 5
# An answer quicker than this takes the focus to Next (the user's next step); a later one
# may arrive under a key meant for «Cancelar la prueba», so it never moves it onto a button.
FOCUS_NEXT_WITHIN_MS = 1000
PLAIN_STYLE = "QLabel { font-weight: bold; }"
# A failure's one primary action: fixing what was typed, or trying again (the default).
BACK_FIRST = frozenset({Code.UNAUTHORIZED, Code.FORBIDDEN, Code.INVALID_INPUT, Code.NOT_FOUND})


class CheckPage(BasePage):
    subtitle_key = "gui.test.subtitle"

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "testPage", parent)
        self.runner = CheckRunner(ctx.check, self)
        self.runner.finished.connect(self._finished)
        self._clock = QElapsedTimer()
        self._tick = QTimer(self)
        self._tick.setInterval(200)
        self._tick.timeout.connect(self._show_elapsed)
        self._wait_left = 0
        self._countdown_used = False
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._count_down)
        self._state = "idle"  # idle | running | cancelled | done

        # The result as one card: an icon and the title, then the company and what was
        # checked (success) or the causes, numbered steps and link (failure).
        self.result_card = ResultCard(
            ctx, self, name="resultCard",
            parts=("resultIcon", "statusLabel", "companyLabel", "companyDetails"),
        )  # fmt: skip
        self.result_icon = self.result_card.icon
        self.statusLabel = self.result_card.title
        self.companyLabel = self.result_card.name
        self.company_details = self.result_card.details
        # A slow answer hands the focus to the company: a Tab stop, so the user can come
        # back to it (a keyboard-selectable label is otherwise click-only).
        self.companyLabel.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("progressBar")
        self.progress.setRange(0, 0)  # busy indicator
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.checked_label = make_label(self, name="checkedLabel")
        self.bind(self.checked_label.setText, "gui.test.checked")
        self.hintView = FitBrowser(self)
        self.hintView.setObjectName("hintView")
        self.hintView.setOpenExternalLinks(True)
        self.hintView.viewport().setAutoFillBackground(False)
        # Named for all it holds (causes, steps, link); its description is the title.
        self.bind(self.hintView.setAccessibleName, "gui.a11y.hint")
        self.countdown_label = make_label(self, name="countdownLabel")
        # A failure, verdict first: the most likely fix in one sentence, the token's last
        # four (after a 401) and what the server said; the rest behind «Ver más causas».
        self.fix_label = make_label(self, name="fixLabel", selectable=True)
        self.token_tail = make_label(self, name="tokenTailLabel", selectable=True)
        self.server_said = make_label(self, name="serverMessageLabel", selectable=True)
        self.more_toggle = disclosure(
            self, "moreCausesToggle", "gui.test.more_causes", self.hintView.setVisible
        )

        buttons = QHBoxLayout()
        buttons.setSpacing(style.S)
        self.cancelButton = QPushButton(self)
        self.cancelButton.setObjectName("cancelButton")
        self.testButton = QPushButton(self)
        self.testButton.setObjectName("testButton")
        self.backButton = KeyHoldButton(self)
        self.backButton.setObjectName("backToDataButton")
        self.doctorButton = QPushButton(self)
        self.doctorButton.setObjectName("doctorButton")
        self.bind(self.doctorButton.setText, "doctor.button")
        self.doctorButton.clicked.connect(self.open_doctor)
        self.doctor_dialog: DoctorDialog | None = None
        self.primary_button: QPushButton | None = None  # a failure's one filled button
        self.bind(self.cancelButton.setText, "gui.test.cancel")
        self.bind(self.testButton.setText, "gui.test.retry")
        self.bind(self.backButton.setText, "gui.test.back_to_data")
        for button in (self.cancelButton, self.testButton, self.backButton, self.doctorButton):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.cancelButton.clicked.connect(self.cancel)
        self.testButton.clicked.connect(self.start)
        self.backButton.clicked.connect(self._back_to_data)
        self.backButton.released_key.connect(self._focus_after_wait)
        self._focus_pending = False  # the wait ended under a key held on «Volver…»

        self.continueCheck = QCheckBox(self)
        self.continueCheck.setObjectName("continueUnverifiedCheck")
        self.bind(self.continueCheck.setText, "gui.test.continue_unverified")
        self.continueCheck.toggled.connect(self._continue_toggled)
        # A check box never wraps: its short words beside the box, what it means below,
        # wrapped (a long box made a 640-px-wide page scroll sideways), as on page one.
        self.continue_note = make_label(self, name="continueUnverifiedNote")
        self.continue_note.setIndent(24)

        self.probe_view = ProbeView(self)
        self.needs_view = NeedsView(ctx, self)  # the app file's needs, probed alone
        self.needs_view.finished.connect(self.completeChanged)
        for widget in (
            self.fix_label, self.token_tail, self.server_said, self.countdown_label,
            self.progress, self.needs_view, self.probe_view, self.more_toggle, self.hintView,
            self.checked_label,
        ):  # fmt: skip
            self.result_card.rows.addWidget(widget)
        self.body.addWidget(self.result_card)
        self.body.addWidget(self.continueCheck)
        self.body.addWidget(self.continue_note)
        self.body.addStretch(1)
        self.footer.addLayout(buttons)  # in view however long the answer is
        self._show_idle()

    # --- Qt wizard hooks ---
    def initializePage(self) -> None:
        self.start()

    def cleanupPage(self) -> None:
        """Back: drop whatever is in flight; its late answer will be ignored."""
        self.runner.cancel()
        self._tick.stop()
        # The wait belongs to these credentials; new ones get their own answer.
        self._countdown.stop()
        self._wait_left = 0
        self._countdown_used = False
        self._focus_pending = False
        self.ctx.result = None
        self.probe_view.reset()
        self.needs_view.reset()
        self._show_idle()

    def isComplete(self) -> bool:
        if self._state != "done" or self.needs_view.busy:
            return False
        return self.ctx.verified or (
            self.ctx.may_continue_unverified and self.continueCheck.isChecked()
        )

    @property
    def busy(self) -> bool:
        return self.runner.busy

    # --- actions ---
    def start(self) -> None:
        if self._wait_left > 0:
            return
        self.ctx.result = None
        self.probe_view.reset()
        self.needs_view.reset()
        self.ctx.continue_unverified = False
        self._countdown_used = False
        self._focus_pending = False
        from wizard.request import validate_base_url

        problem = validate_base_url(self.ctx.base_url)
        if problem is not None:
            self._state = "done"
            self._show_failure(Code.INVALID_INPUT, detail=problem)
            return
        self.runner.start(self.ctx.email, self.ctx.token, self.ctx.base_url)
        self._state = "running"
        self._clock.start()
        self._tick.start()
        self._show_running()

    def cancel(self) -> None:
        if not self.runner.busy:
            return
        self.runner.cancel()
        self._tick.stop()
        self._state = "cancelled"
        self._show_idle()
        style.restyle(self.statusLabel, PLAIN_STYLE)
        self.statusLabel.setText(self.ctx.t("gui.test.cancelled"))
        self.testButton.setFocus()
        self.completeChanged.emit()

    def _back_to_data(self) -> None:
        wizard = self.wizard()
        if wizard is not None:
            wizard.back()

    def _continue_toggled(self, on: bool) -> None:
        self.ctx.continue_unverified = on
        self.completeChanged.emit()

    # --- results ---
    def _finished(self, result: CheckResult) -> None:
        self._tick.stop()
        self._state = "done"
        self.ctx.result = result
        if result.code == Code.CONNECTED:
            self._show_success(result)
            if self.needs_view.wanted:  # the app's needs first, and only they
                self.needs_view.start()
            else:
                self.probe_view.start()  # what the plan includes, while the user reads
        else:
            self._show_failure(result.code, result=result)
        # Said by a screen reader at once, wherever the focus is (a live region's alert).
        said = [self.statusLabel.text()]
        if result.code == Code.CONNECTED:
            said += [self.companyLabel.text(), self.company_details.text()]
        announce(self.statusLabel, "\n".join(t for t in said if t), assertive=True)
        self.completeChanged.emit()

    def _render(self) -> None:
        result = self.ctx.result
        if self._state == "done" and result is not None:
            if result.code == Code.CONNECTED:
                self._show_success(result)
            else:
                self._show_failure(result.code, result=result)

    def on_language_changed(self) -> None:
        self._render()
        self.needs_view.show_state()
        if self.probe_view.isVisible():
            self.probe_view.show_result()

    def open_doctor(self) -> None:
        """Diagnóstico: the doctor's checklist in a window of its own (not modal)."""
        if self.doctor_dialog is not None:
            self.doctor_dialog.close()
        self.doctor_dialog = DoctorDialog(self.ctx, self)
        self.doctor_dialog.open()
        self.doctor_dialog.start()

    # --- views ---
    def _card(self, kind: str, icon: str) -> None:
        """The result card's tone (palette-aware) and icon: info while running or idle."""
        self.result_card.set_tone(kind, icon)

    def _show_idle(self) -> None:
        self._card("info", "")
        self.checked_label.hide()
        self.progress.hide()
        self.cancelButton.setEnabled(False)
        self.cancelButton.hide()  # only there while a test runs
        self.testButton.setEnabled(self._wait_left == 0)
        for widget in (
            self.companyLabel, self.company_details, self.hintView, self.continueCheck,
            self.continue_note, self.doctorButton, self.fix_label, self.token_tail,
            self.server_said, self.more_toggle,
        ):  # fmt: skip
            widget.hide()
        self.more_toggle.setChecked(False)
        self._set_primary(None)
        self.countdown_label.setVisible(self._countdown_used)
        self.statusLabel.setText("")

    def _show_running(self) -> None:
        self._show_idle()
        self.progress.show()
        self.cancelButton.setEnabled(True)
        self.cancelButton.show()
        self.testButton.setEnabled(False)
        style.restyle(self.statusLabel, PLAIN_STYLE)
        self._show_elapsed()
        self.cancelButton.setFocus()
        self.completeChanged.emit()

    def _show_elapsed(self) -> None:
        seconds = int(self._clock.elapsed() / 1000) if self._clock.isValid() else 0
        key = "gui.test.running_slow" if seconds >= SLOW_AFTER_S else "gui.test.running"
        self.statusLabel.setText(self.ctx.t(key, seconds=seconds))

    def _show_success(self, result: CheckResult) -> None:
        self._show_idle()
        style.restyle(self.statusLabel, tone("ok", bold=True))
        self.statusLabel.setText(self.ctx.t("gui.test.connected").removeprefix("✔").strip())
        view = present.company_view(result.company, self.ctx.lang, self.ctx.country)
        named = view is not None and view.named
        self.companyLabel.setText(
            view.name if view and named else self.ctx.t("gui.test.company_unnamed")
        )
        details = company_lines(self.ctx, view)
        self.company_details.setText(details)
        self.companyLabel.show()
        self.company_details.setVisible(bool(details))
        self._card("ok", "✔")
        self.checked_label.show()
        self._set_primary(None)
        wizard = self.wizard()
        if wizard is None:
            return
        if self._clock.isValid() and self._clock.elapsed() > FOCUS_NEXT_WITHIN_MS:
            # A slow answer: the user may be reaching for «Cancelar la prueba» (gone now);
            # a Space meant for it must not press Next. The result itself takes the focus.
            self.companyLabel.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            QTimer.singleShot(0, lambda: _focus_next(wizard))

    def _show_failure(
        self, code: Code, *, result: CheckResult | None = None, detail: str = ""
    ) -> None:
        self._show_idle()
        seconds = present.wait_seconds(result)
        ctx, country = self.ctx, self.ctx.country
        hint = (
            present.hint_for_result(result, ctx.lang, country, base_url=ctx.base_url, live=True)
            if result
            else None
        ) or hints.hint_for(code, ctx.lang, country=country, host=present.host_of(ctx.base_url))
        style.restyle(self.statusLabel, tone("error", bold=True))
        self.statusLabel.setText(hint.title)
        self._card("error", "!")
        # A 429's first thing to do is its live countdown (no static wait beside it).
        self.fix_label.setText(hint.fix)
        self.fix_label.setVisible(bool(hint.fix) and code is not Code.RATE_LIMITED)
        if code is Code.UNAUTHORIZED and ctx.token:
            tail = present.mask_token(ctx.token)
            self.token_tail.setText(ctx.t("gui.test.token_tail", tail=tail))
            self.token_tail.show()
        said = present.server_message(result) if result is not None else None
        self.server_said.setText(ctx.t("gui.test.server_said", message=said) if said else "")
        self.server_said.setVisible(bool(said))
        self.hintView.setHtml(self._hint_html(hint, detail or (result.detail if result else "")))
        self.hintView.setAccessibleDescription(hint.title)
        self.more_toggle.show()
        self.doctorButton.show()
        problem = self.ctx.save_problem
        key = f"gui.test.save_anyway.{problem}" if problem else "gui.test.continue_unverified"
        note = self.ctx.t(f"{key}_note")
        self.continueCheck.setText(self.ctx.t(key))
        self.continueCheck.setAccessibleDescription(note)
        self.continue_note.setText(note)
        self.continueCheck.setVisible(self.ctx.may_continue_unverified)
        self.continue_note.setVisible(self.ctx.may_continue_unverified)
        self.continueCheck.setChecked(self.ctx.continue_unverified)
        if seconds is not None and self._wait_left == 0 and self._state == "done":
            self._start_countdown(seconds)
        self.testButton.setEnabled(self._wait_left == 0)
        primary = self.backButton if code in BACK_FIRST else self.testButton
        self._set_primary(primary)
        (primary if primary.isEnabled() else self.backButton).setFocus()

    def _set_primary(self, primary: QPushButton | None) -> None:
        """One filled button: a failure's most likely fix; the others outlined."""
        from wizard.ui.base import PRIMARY_STYLE

        self.primary_button = primary
        for button in (self.testButton, self.backButton):
            style.restyle(button, PRIMARY_STYLE if button is primary else "")

    def _hint_html(self, hint: hints.Hint, detail: str) -> str:
        return hint_body_html(self.ctx, hint, detail)

    # --- 429 countdown ---
    def _start_countdown(self, seconds: int) -> None:
        self._wait_left = max(0, int(seconds))
        self._countdown_used = True
        if self._wait_left:
            self._countdown.start()
        self._update_countdown()

    def _count_down(self) -> None:
        self._wait_left = max(0, self._wait_left - 1)
        self._update_countdown()
        if self._wait_left == 0:
            self._countdown.stop()
            self._focus_pending = True
            self._focus_after_wait()

    def _focus_after_wait(self) -> None:
        """The wait put the focus on «Volver a los datos»; now trying again is the step.
        Never under a key the user is holding there: then on its release (unless that
        key took the user elsewhere). A focus the user moved stays where they put it."""
        if not self._focus_pending or self._wait_left or not self.testButton.isEnabled():
            return
        if self.backButton.key_held:
            return
        self._focus_pending = False
        focus = QApplication.focusWidget()
        if self.isVisible() and (focus is None or focus is self.backButton):
            self.testButton.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_countdown(self) -> None:
        if self._wait_left > 0:
            self.countdown_label.setText(self.ctx.t("gui.test.wait", seconds=self._wait_left))
        else:
            self.countdown_label.setText(self.ctx.t("gui.test.wait_over"))
        self.countdown_label.setVisible(self._countdown_used)
        self.testButton.setEnabled(self._wait_left == 0 and not self.runner.busy)


class KeyHoldButton(QPushButton):
    """A button that knows whether a key is held down on it, so the page never moves the
    focus away under a key press (its release would land on another button)."""

    released_key = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key_held = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not event.isAutoRepeat():
            self.key_held = True
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        super().keyReleaseEvent(event)
        if not event.isAutoRepeat() and self.key_held:
            self.key_held = False
            self.released_key.emit()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.key_held = False
        super().focusOutEvent(event)


def _focus_next(wizard: QWidget) -> None:
    from PySide6.QtWidgets import QWizard

    if isinstance(wizard, QWizard):
        button = wizard.button(QWizard.WizardButton.NextButton)
        if button.isEnabled():
            button.setFocus(Qt.FocusReason.OtherFocusReason)
