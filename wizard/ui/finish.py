"""The last two pages: saving (a commit page: the keyring work runs on a worker
thread, failures are explained with a way forward, nothing typed is lost), and
where other programs find the profile."""

from __future__ import annotations

import contextlib
import html
import threading
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QWidget,
    QWizard,
)

from wizard import countries, present
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
    from wizard.store import Profile

SUMMARY_ROWS = ("email", "token", "company", "server", "status", "where")


def storage_hint_html(
    reason: object, lang: str, country: countries.Country | None = None
) -> tuple[str, str]:
    """(title, steps as HTML) for a StorageError reason, in the country's words
    (wizard.present's one lookup)."""
    hint = present.storage_texts(reason, lang, country)
    steps = "".join(f"<li>{html.escape(s)}</li>" for s in hint.steps)
    return hint.title, f"<ol>{steps}</ol>"


class SavePage(BasePage):
    title_key = "gui.save.title"
    subtitle_key = "gui.save.subtitle"
    keychain_prompt = Signal()  # Store.on_keyring_consent: macOS asks the user

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "savePage", parent)
        self.setCommitPage(True)
        self.profileNameEdit = QLineEdit(self)
        self.profileNameEdit.setObjectName("profileNameEdit")
        self.bind(self.profileNameEdit.setAccessibleName, "gui.save.name_name")
        self.bind(self.profileNameEdit.setPlaceholderText, "gui.save.name_placeholder")
        self.profileNameEdit.textChanged.connect(self._refresh)
        name_label = make_label(self, wrap=False)
        name_label.setBuddy(self.profileNameEdit)
        self.bind(name_label.setText, "gui.save.name")
        self.form = form = QFormLayout()
        form.addRow(name_label, self.profileNameEdit)
        self.values: dict[str, QLabel] = {}
        for key in SUMMARY_ROWS:
            label = make_label(self, wrap=False)
            self.values[key] = make_label(self, name=f"summary_{key}", selectable=True)
            self.bind(
                label.setText, f"gui.save.summary_{key}" if key != "where" else "gui.save.where"
            )
            form.addRow(label, self.values[key])
        self.body.addLayout(form)

        self.test_mode_notice = make_label(self, name="testModeSaveNotice")
        self.test_mode_notice.setStyleSheet(tone("caution", bold=True))
        self.bind(self.test_mode_notice.setText, "gui.save.test_mode")
        self.body.addWidget(self.test_mode_notice)
        self.duplicate = make_label(self, name="duplicateLabel")
        self.new_copy = QCheckBox(self)
        self.new_copy.setObjectName("saveAsNewCheck")
        self.bind(self.new_copy.setText, "gui.save.duplicate_keep")
        self.new_copy.toggled.connect(self._copy_toggled)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setMaximumHeight(10)
        self.progress_label = make_label(self, name="savingLabel")
        self.error_title = make_label(self, name="saveErrorLabel")
        self.error_title.setStyleSheet(tone("error", bold=True))
        self.error_steps = QTextBrowser(self)
        self.error_steps.setObjectName("saveHintView")
        self.error_steps.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.error_steps.setMaximumHeight(130)
        self.skip_button = QPushButton(self)
        self.skip_button.setObjectName("skipSaveButton")
        self.bind(self.skip_button.setText, "gui.save.skip")
        self.skip_button.clicked.connect(self.finish_without_saving)
        for widget in (
            self.duplicate,
            self.new_copy,
            self.progress,
            self.progress_label,
            self.error_title,
            self.error_steps,
            self.skip_button,
        ):
            self.body.addWidget(widget)
        self.body.addStretch(1)

        self.worker = Worker(self)
        self.worker.done.connect(self._saved)
        self.keychain_prompt.connect(self._waiting_for_keychain)
        self._suggested = ""
        self._existing: Profile | None = None
        self._reset_outcome()

    # --- Qt wizard hooks ---
    def initializePage(self) -> None:
        self._existing = self.ctx.updating or self._find_duplicate()
        self._suggest_name()
        self._reset_outcome()
        self._fill()
        self.profileNameEdit.setFocus()
        self.profileNameEdit.selectAll()

    def _suggest_name(self) -> None:
        """The connection being updated keeps its own name («Panadería (principal)»); a new
        one is named after the company. A name the user typed stays."""
        ctx = self.ctx
        company = ctx.result.company if ctx.result else None
        if self._existing is not None and not self.new_copy.isChecked():
            suggested = self._existing.name
        else:
            suggested = (company.name if company and company.name else "") or ctx.email
        if self.profileNameEdit.text() in ("", self._suggested):
            self.profileNameEdit.setText(suggested)
        self._suggested = suggested

    def _copy_toggled(self) -> None:
        self._suggest_name()
        self._refresh()

    def cleanupPage(self) -> None:
        self.worker.cancel()
        self._reset_outcome()

    def isComplete(self) -> bool:
        return bool(self.profile_name) and not self.worker.busy

    def validatePage(self) -> bool:
        """The commit: true once saved (or skipped); otherwise start saving, off the GUI
        thread, and move on by ourselves when it worked."""
        if self.saved is not None or self.skipped:
            return True
        if not self.worker.busy:
            self._start_saving()
        return False

    # --- saving ---
    @property
    def profile_name(self) -> str:
        return self.profileNameEdit.text().strip()

    @property
    def saved(self) -> Profile | None:
        return self.ctx.saved_profile

    def _reset_outcome(self) -> None:
        self.skipped = False
        self.ctx.saved_profile = None
        for widget in (
            self.progress,
            self.progress_label,
            self.error_title,
            self.error_steps,
            self.skip_button,
        ):
            widget.hide()

    def _find_duplicate(self) -> Profile | None:
        from wizard.store import StorageError

        company = self.ctx.result.company if self.ctx.result else None
        try:
            return self.ctx.store.find_duplicate(
                self.ctx.email, company.identification if company else None
            )
        except StorageError:  # a damaged file is handled (set aside) when saving
            return None

    def _profile(self) -> Profile:
        from wizard.store import profile_from_check

        ctx = self.ctx
        target = self._existing if self._existing and not self.new_copy.isChecked() else None
        profile = profile_from_check(
            ctx.result,
            name=self.profile_name,
            email=ctx.email,
            base_url=ctx.base_url,
            existing=target,
            fallback_country=ctx.country,
        )
        # Marked with what the app file's needs found missing (None: nothing missing).
        return replace(profile, needs_missing=ctx.needs_missing_keys())

    def _start_saving(self) -> None:
        profile, token, store = self._profile(), self.ctx.token, self.ctx.store
        self.error_title.hide()
        self.error_steps.hide()
        self.skip_button.hide()
        self.progress.show()
        self.progress_label.setText(self.ctx.t("gui.save.saving", place=self.place()))
        self.progress_label.show()
        # Read-only, not disabled: a disabled field drops the focus, and nothing would
        # have it after the save (the done page, or the error, would open unfocused).
        self.profileNameEdit.setReadOnly(True)

        # From the save's thread, while macOS asks the user (a signal: queued to this one).
        store.on_keyring_consent = self.keychain_prompt.emit

        def save(_cancel: object) -> tuple[Profile, object, str]:
            saved = store.save(profile, token)
            return saved.profile, saved.set_aside, store.backend_kind()

        self.worker.run(save, "save")
        self.completeChanged.emit()

    def _waiting_for_keychain(self) -> None:
        """macOS's Keychain is asking the user whether we may use the key: say so (the
        dialog may be behind the window) instead of a «Guardando…» that seems stuck."""
        self.progress_label.setText(self.ctx.t("storage.consent_wait"))

    def _saved(self, outcome: Outcome) -> None:
        value, error = outcome.value, outcome.error
        self.progress.hide()
        self.progress_label.hide()
        self.profileNameEdit.setReadOnly(False)
        self.completeChanged.emit()
        if error is None:
            profile, set_aside, kind = value
            self.ctx.save_failed = False
            self.ctx.saved_profile = profile
            self.ctx.set_aside = set_aside
            self.ctx.backend_kind = kind
            self.ctx.forget_token()
            wizard = self.wizard()
            if wizard is not None:
                QTimer.singleShot(0, wizard.next)
            return
        self.ctx.save_failed = True
        reason = getattr(error, "reason", "failed")
        title, steps = storage_hint_html(reason, self.ctx.lang, self.ctx.country)
        self.error_title.setText(f"{title} {self.ctx.t('gui.save.failed')}")
        from wizard.ui.brand import support_line

        support = support_line(self.ctx.app, self.ctx.lang)
        self.error_steps.setHtml(
            steps + (f"<p><b>{html.escape(support)}</b></p>" if support else "")
        )
        for widget in (self.error_title, self.error_steps, self.skip_button):
            widget.show()

    def finish_without_saving(self) -> None:
        self.skipped = True
        self.ctx.saved_profile = None
        wizard = self.wizard()
        if wizard is not None:
            wizard.next()

    def place(self) -> str:
        if self.ctx.demo:  # an in-memory store: say where it is not
            return self.ctx.t("gui.save.test_place")
        return self.ctx.t(f"storage.place.{self.ctx.backend_kind}")

    # --- what the page shows ---
    def on_language_changed(self) -> None:
        self._fill()

    def _refresh(self) -> None:
        self._fill()
        self.completeChanged.emit()

    def _fill(self) -> None:
        ctx = self.ctx
        company = ctx.result.company if ctx.result else None
        view = present.company_view(company, ctx.lang)
        company_text = view.summary() if view is not None else "—"
        values = {
            "email": ctx.email,
            "token": ctx.token_hint,
            "company": company_text,
            "server": ctx.base_url,
            "status": ctx.t(
                "gui.save.verified"
                if ctx.verified
                else f"gui.save.problem.{ctx.save_problem}"
                if ctx.save_problem
                else "gui.save.unverified"
            ),
            "where": self.place(),
        }
        for key, text in values.items():
            self.values[key].setText(text)
        style.restyle(self.values["status"], "" if ctx.verified else tone("caution", bold=True))
        existing = self._existing
        show_duplicate = existing is not None and ctx.updating is None
        if existing is not None:
            self.duplicate.setText(ctx.t("gui.save.duplicate", name=existing.name))
        self.duplicate.setVisible(show_duplicate)
        self.new_copy.setVisible(show_duplicate)
        self.test_mode_notice.setVisible(ctx.demo)
        # The server's address is for support staff, not for a shop owner.
        self.form.setRowVisible(self.values["server"], ctx.support)


class DonePage(BasePage):
    """The outcome as one card, in the test page's visual language: an icon, what
    happened («Conexión guardada»), the company, then the user, the masked token, where
    it is kept in plain words and what was checked. After an unverified save (or one
    with a problem), a way to check again from here (no terminal command); what
    programmers need behind a «Para programadores» disclosure."""

    title_key = "gui.done.title"

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
