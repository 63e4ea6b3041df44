"""The done page: the outcome as one card, where other programs find the profile (behind
«Para programadores»), and after an unverified save the window's own re-check."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
    QWizard,
)

from wizard import present
from wizard.outcomes import Code
from wizard.ui import style
from wizard.ui.base import (
    BasePage,
    ResultCard,
    announce,
    company_lines,
    disclosure,
    make_label,
    tone,
)
from wizard.ui.context import WizardContext
from wizard.ui.worker import Outcome, Worker

if TYPE_CHECKING:
    from wizard.check import CheckResult
    from wizard.ui.save_page import SavePage


class DonePage(BasePage):
    """The outcome as one card, in the test page's visual language: an icon, what
    happened («Conexión guardada»), the company, then the user, the masked token, where
    it is kept in plain words and what was checked. After an unverified save (or one
    with a problem), a way to check again from here (no terminal command); what
    programmers need behind a «Para programadores» disclosure."""

    def __init__(self, ctx: WizardContext, save_page: SavePage, parent: QWidget | None = None):
        super().__init__(ctx, "donePage", parent)
        self._save_page = save_page
        self.card = ResultCard(
            ctx, self, name="doneCard",
            parts=("doneIcon", "doneTitle", "doneCompany", "doneCompanyDetails"),
        )  # fmt: skip
        self.saved = make_label(self.card, name="savedLabel", selectable=True)
        self.card.rows.addWidget(self.saved)
        self.clipboard_notice = make_label(self.card, name="clipboardNotice")
        self.card.rows.addWidget(self.clipboard_notice)
        facts = QGridLayout()
        facts.setHorizontalSpacing(style.M)
        facts.setVerticalSpacing(style.XS)
        facts.setColumnStretch(1, 1)
        self.facts: dict[str, tuple[QLabel, QLabel]] = {}
        for row, (key, label_key) in enumerate(DONE_FACTS):
            label = make_label(self.card, wrap=False)
            label.setStyleSheet("QLabel { font-weight: bold; }")
            self.bind(label.setText, label_key)
            value = make_label(self.card, name=f"done_{key}", selectable=True)
            facts.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
            facts.addWidget(value, row, 1)
            self.facts[key] = (label, value)
        self.set_aside = make_label(self.card, name="setAsideNotice", selectable=True)
        self.unverified = make_label(self.card, name="unverifiedLabel", selectable=True)
        self.unverified.setStyleSheet(tone("caution", bold=True))
        self.recheck_button = QPushButton(self.card)
        self.recheck_button.setObjectName("recheckButton")
        self.recheck_button.setAutoDefault(False)
        self.bind(self.recheck_button.setText, "gui.done.recheck")
        self.recheck_button.clicked.connect(self.recheck)
        self.recheck_status = make_label(self.card, name="recheckLabel", selectable=True)
        # It takes the focus once verified (the button is gone): a Tab stop as well.
        self.recheck_status.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        recheck_row = QHBoxLayout()
        recheck_row.addWidget(self.recheck_button)
        recheck_row.addStretch(1)
        # What to do next comes before the facts: on a short window «Revisar ahora» is
        # in view without scrolling.
        self.card.rows.addWidget(self.unverified)
        self.card.rows.addLayout(recheck_row)
        self.card.rows.addWidget(self.recheck_status)
        self.card.rows.addLayout(facts)
        self.card.rows.addWidget(self.set_aside)
        self.body.addWidget(self.card)
        self.close_help = make_label(self, name="closeHelp")
        self.bind(self.close_help.setText, "gui.done.close")
        self.body.addWidget(self.close_help)
        self.programs_toggle = disclosure(
            self, "programsToggle", "gui.done.for_programmers", self._show_programs
        )
        self.programs_title = make_label(self, name="programsTitle")
        self.bind(self.programs_title.setText, "gui.done.programs")
        self.programs = make_label(self, name="programsLabel", selectable=True)
        self.body.addSpacing(style.S)
        self.body.addWidget(self.programs_toggle)
        self.body.addWidget(self.programs_title)
        self.body.addWidget(self.programs)
        self.body.addStretch(1)
        self.worker = Worker(self)
        self.worker.done.connect(self._rechecked)
        self._recheck_text = ""
        self._focus_parked: QWidget | None = None

    def initializePage(self) -> None:
        self._recheck_text = ""
        self.programs_toggle.setChecked(False)
        self._fill()
        self.page_scroll.verticalScrollBar().setValue(0)  # the card's head first
        QTimer.singleShot(0, self._settle_focus)
        # Said by a screen reader as the page opens, wherever the focus lands.
        card = (self.card.title, self.card.name, self.saved)
        announce(self.card.title, "\n".join(w.text() for w in card if w.text()))

    def _settle_focus(self) -> None:
        """Arriving here the focus may be nowhere (it was on the save page): the next
        step takes it, «Revisar ahora» after an unverified save, else «Cerrar»."""
        focus = QApplication.focusWidget()
        if (focus is not None and focus.isVisible()) or not self.isVisible():
            return
        if self.recheck_button.isVisible():
            self.recheck_button.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        wizard = self.wizard()
        if wizard is not None:
            wizard.button(QWizard.WizardButton.FinishButton).setFocus(
                Qt.FocusReason.OtherFocusReason
            )

    def cleanupPage(self) -> None:
        self.worker.cancel()

    def on_language_changed(self) -> None:
        self._fill()

    def _show_programs(self, shown: bool) -> None:
        self.programs_title.setVisible(shown)
        self.programs.setVisible(shown)
        if shown:  # the lines just opened below may be out of view on a short window
            QTimer.singleShot(0, self._show_opened)

    def _show_opened(self) -> None:
        self.page_scroll.ensureWidgetVisible(self.programs)
        focus = QApplication.focusWidget()  # but never scrolls the focus out of view
        if focus is not None and self.content.isAncestorOf(focus):
            self.page_scroll.ensureWidgetVisible(focus)

    # --- checking again after an unverified save ---
    def recheck(self) -> None:
        ctx = self.ctx
        profile = ctx.saved_profile
        if profile is None or self.worker.busy:
            return
        base_url, check, store = ctx.base_url, ctx.check, ctx.store

        def task(cancel: threading.Event) -> CheckResult:
            # The window let go of the token after the save: the keyring has it.
            creds = store.load(profile.id)  # the token stays inside this function
            result = check(creds.profile.email, creds.token, base_url, cancel)
            with contextlib.suppress(Exception):  # the note of the last check is a nicety
                store.update_last_check(profile.id, result.code.value)
            return result

        had_focus = self.recheck_button.hasFocus()
        self.recheck_button.setEnabled(False)  # Qt hands its focus on (to the next widget)
        self._focus_parked = QApplication.focusWidget() if had_focus else None
        self._recheck_text = ctx.t("gui.done.rechecking")
        self._fill()
        self.worker.run(task, "recheck")

    def _rechecked(self, outcome: Outcome) -> None:
        ctx = self.ctx
        self.recheck_button.setEnabled(True)
        result = outcome.value
        if outcome.error is None and result is not None:
            ctx.result = result
            hint = present.hint_for_result(result, ctx.lang, ctx.country)
            if hint is None and ctx.saved_profile is not None:
                ctx.saved_profile = replace(ctx.saved_profile, last_check_code=Code.CONNECTED.value)
                self._recheck_text = ctx.t("gui.done.recheck_ok")
            else:
                problem = hint.title if hint is not None else "—"
                self._recheck_text = ctx.t("gui.done.recheck_failed", problem=problem)
        else:
            self._recheck_text = ctx.t("gui.done.recheck_failed", problem="—")
        self._fill()
        announce(self.recheck_status, self._recheck_text, assertive=True)
        # The focus was on «Revisar ahora» and Qt parked it on the next widget while the
        # check ran: back to the button (to try again), or to the answer once verified
        # (the button is gone). A focus the user moved meanwhile stays where they put it.
        parked, self._focus_parked = self._focus_parked, None
        if parked is not None and QApplication.focusWidget() is parked:
            target = self.recheck_button if self.recheck_button.isVisible() else self.recheck_status
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- what the page says ---
    def state(self) -> str:
        """saved | problem | unverified | test_mode | not_saved: which card the page shows."""
        ctx, profile = self.ctx, self.ctx.saved_profile
        if profile is None:
            return "not_saved"
        if ctx.demo:
            return "test_mode"
        if profile.last_check_code == Code.CONNECTED.value:
            return "saved"
        return "problem" if ctx.save_problem else "unverified"

    def _fill(self) -> None:
        ctx = self.ctx
        profile = ctx.saved_profile
        state = self.state()
        self.setTitle(ctx.t("gui.done.title_not_saved" if state == "not_saved" else self.title_key))
        kind, icon = DONE_CARDS[state]
        if state == "test_mode" and not ctx.verified:
            icon = "i"
        self.card.set_tone(kind, icon)
        style.restyle(self.card.title, tone(style.CARD_TEXT[kind], bold=True))
        self.card.title.setText(ctx.t(f"gui.done.heading.{state}"))
        # The company as the test page showed it; an unverified save knows only its name.
        result = ctx.result
        view = present.company_view(result.company if result else None, ctx.lang, ctx.country)
        if view is not None and view.named:
            name, details = view.name, company_lines(ctx, view)
        else:
            name, details = (profile.company or profile.name if profile else ""), ""
        may_recheck = state in ("problem", "unverified")
        if may_recheck:  # what is wrong, first: the next step below says what to do
            details = self._checked_text(state)
        self.card.name.setText(name)
        self.card.name.setVisible(bool(name))
        self.card.details.setText(details)
        self.card.details.setVisible(bool(details))
        self.saved.setText(self._saved_text(state))
        self.clipboard_notice.setText(ctx.t("gui.done.clipboard_cleared"))
        self.clipboard_notice.setVisible(ctx.clipboard_cleared)
        values = {
            "email": ctx.email or "—",
            "token": ctx.token_hint or "—",
            "where": _sentence_case(
                self._save_page.place() if state != "not_saved" else ctx.t("gui.done.nowhere")
            ),
            "checked": self._checked_text(state),
        }
        for key, text in values.items():
            self.facts[key][1].setText(text)
        for label in self.facts["checked"]:  # already said under the name
            label.setVisible(not may_recheck)
        set_aside = ctx.set_aside if state != "test_mode" else None
        self.set_aside.setText(ctx.t("storage.set_aside", path=set_aside) if set_aside else "")
        self.set_aside.setVisible(bool(set_aside))
        self.unverified.setText(ctx.t(f"gui.done.next.{state}") if may_recheck else "")
        self.unverified.setVisible(may_recheck)
        self.recheck_button.setVisible(may_recheck)
        self.recheck_status.setText(self._recheck_text)
        self.recheck_status.setVisible(bool(self._recheck_text) and profile is not None)
        stored = state in ("saved", "problem", "unverified") and profile is not None
        if stored and profile is not None:
            from wizard.store import keyring_service
            from wizard.version import __version__

            service = keyring_service(profile.id, ctx.app.id)  # what other programs look up
            items = ctx.t_list("gui.done.program_items", profile=profile.id, service=service)
            # The version and the server's address are for programmers and support only.
            items.append(ctx.t("gui.done.program_about", version=__version__, server=ctx.base_url))
            self.programs.setText("\n".join(f"  •  {item}" for item in items))
        self.programs_toggle.setVisible(stored)
        self._show_programs(stored and self.programs_toggle.isChecked())
        from wizard.ui.brand import dress_done

        dress_done(self, ctx, self.card, state)

    def _saved_text(self, state: str) -> str:
        ctx, profile = self.ctx, self.ctx.saved_profile
        if state == "not_saved":
            return ctx.t("gui.done.not_saved")
        if state == "test_mode":
            return ctx.t("gui.done.test_mode")
        name = profile.name if profile is not None else ""
        return ctx.t("gui.done.saved_lead", name=name)

    def _checked_text(self, state: str) -> str:
        """What the check found, in the words the test page used (wizard.present)."""
        ctx, result = self.ctx, self.ctx.result
        if result is None:
            return ctx.t("gui.done.checked_none")
        hint = present.hint_for_result(result, ctx.lang, ctx.country)
        if hint is not None:
            return hint.title
        return ctx.t("gui.done.checked_test" if state == "test_mode" else "gui.done.checked_ok")


def _sentence_case(text: str) -> str:
    """«el llavero seguro del escritorio» as a value of its own: «El llavero…»."""
    return text[:1].upper() + text[1:]


# The done card's rows: (key, label) — user, masked token, where, what was checked.
DONE_FACTS = (
    ("email", "gui.save.summary_email"),
    ("token", "gui.save.summary_token"),
    ("where", "gui.done.where"),
    ("checked", "gui.done.checked"),
)
# Each outcome's card: (tone, icon).
DONE_CARDS = {
    "saved": ("ok", "✔"),
    "problem": ("warn", "!"),
    "unverified": ("warn", "!"),
    "test_mode": ("info", "✔"),
    "not_saved": ("error", "!"),
}
