"""The save page: a commit page whose keyring work runs on a worker thread; a failure is
explained with a way forward, and nothing typed is lost."""

from __future__ import annotations

import html
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QWidget,
)

from wizard import countries, present
from wizard.ui import style
from wizard.ui.base import (
    BasePage,
    make_label,
    tone,
)
from wizard.ui.context import WizardContext
from wizard.ui.worker import Outcome, Worker

if TYPE_CHECKING:
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
