"""The paste page: email and token, cleaned as the user pastes, explained under each field.

A paste (or leaving a field) replaces the text with the cleaned value and says what
was fixed; typing only updates the checks, so the cursor never jumps. What the user
typed stays in the fields on Back and after a failed test.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wizard import credentials, present
from wizard.credentials import Cleaned, Note
from wizard.redact import register_secret
from wizard.ui.base import (
    WARNING_STYLE,
    BasePage,
    announce,
    make_label,
    name_clear_button,
    tone,
)
from wizard.ui.context import WizardContext
from wizard.ui.images import StepImage
from wizard.ui.secret_edit import PasteGuardEdit, SecretEdit

if TYPE_CHECKING:
    from wizard.store import Profile

# Problems about an empty field are not shown as errors: Next simply stays disabled.
QUIET_PROBLEMS = {"empty_email", "empty_token"}
FIELDS = ("email", "token")


class CredentialsPage(BasePage):
    guideRequested = Signal()  # «Ver la guía paso a paso»
    subtitle_key = "gui.credentials.subtitle"

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "credentialsPage", parent)
        # Pastes reach _paste before anything is inserted; the token lives in Python only.
        self.emailEdit = PasteGuardEdit(self)
        self.emailEdit.setObjectName("emailEdit")
        self.emailEdit.paste_handler = lambda text, a, b: self._paste("email", text, a, b)
        self.bind(self.emailEdit.setPlaceholderText, "gui.credentials.email_placeholder")
        self.bind(self.emailEdit.setAccessibleName, "gui.credentials.email_name")
        self.tokenEdit = SecretEdit(self)
        self.tokenEdit.setObjectName("tokenEdit")
        self.tokenEdit.paste_handler = lambda text, a, b: self._paste("token", text, a, b)
        self.bind(self.tokenEdit.setPlaceholderText, "gui.credentials.token_placeholder")
        self.bind(self.tokenEdit.setAccessibleName, "gui.credentials.token_name")
        for edit in (self.emailEdit, self.tokenEdit):
            edit.setClearButtonEnabled(True)
            edit.setMinimumWidth(200)  # a masked 20-character token, and its clear button
        self.bind(lambda t: name_clear_button(self.emailEdit, t), "gui.a11y.clear_email")
        self.bind(lambda t: name_clear_button(self.tokenEdit, t), "gui.a11y.clear_token")

        self.show_button = QToolButton(self)
        self.show_button.setObjectName("showTokenButton")
        self.show_button.setCheckable(True)
        self.bind(self.show_button.setAccessibleName, "gui.credentials.show_name")
        self.show_button.toggled.connect(self._show_token)
        # «Mostrar»: the token in a label of its own, never selectable (no PRIMARY
        # selection, no undo history); the field stays masked.
        self.token_shown = make_label(self, name="tokenShownLabel", wrap=False)
        self.token_shown.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.token_shown.setTextFormat(Qt.TextFormat.PlainText)
        ctx.supportChanged.connect(self._support_changed)
        ctx.tokenForgotten.connect(self._forget_token)

        email_label, token_label = make_label(self, wrap=False), make_label(self, wrap=False)
        email_label.setBuddy(self.emailEdit)
        token_label.setBuddy(self.tokenEdit)
        self.bind(email_label.setText, "gui.credentials.email")
        self.bind(token_label.setText, "gui.credentials.token")

        self.update_notice = make_label(self, name="updateNotice")
        self.update_notice.setStyleSheet(WARNING_STYLE)
        self.update_notice.hide()
        self.body.addWidget(self.update_notice)

        self.notes: dict[str, QLabel] = {}
        self.problems: dict[str, QLabel] = {}
        for field in FIELDS:
            self.notes[field] = make_label(self, name=f"{field}FixLabel")
            self.notes[field].setStyleSheet(tone("ok"))
            self.problems[field] = make_label(self, name=f"{field}ProblemLabel")
            self.problems[field].setStyleSheet(tone("error", bold=True))
        self.token_hint = make_label(self, name="tokenHintLabel")

        grid = QGridLayout()
        grid.addWidget(email_label, 0, 0)
        grid.addWidget(self.emailEdit, 0, 1, 1, 2)
        grid.addWidget(self.notes["email"], 1, 1, 1, 2)
        grid.addWidget(self.problems["email"], 2, 1, 1, 2)
        grid.addWidget(token_label, 3, 0)
        grid.addWidget(self.tokenEdit, 3, 1)
        grid.addWidget(self.show_button, 3, 2)
        under_token = QVBoxLayout()
        under_token.setContentsMargins(0, 0, 0, 0)
        under_token.addWidget(self.token_shown)
        under_token.addWidget(self.token_hint)
        grid.addLayout(under_token, 4, 1, 1, 2)
        grid.addWidget(self.notes["token"], 5, 1, 1, 2)
        grid.addWidget(self.problems["token"], 6, 1, 1, 2)
        grid.setColumnStretch(1, 1)
        self.body.addLayout(grid)

        self.both_label = make_label(self, name="filledBothLabel")
        self.both_label.setStyleSheet(tone("ok"))
        self.warnings = make_label(self, name="warningLabel")
        self.warnings.setStyleSheet(tone("warn"))
        self.ready = make_label(self, name="readyLabel")
        self.bind(self.ready.setText, "gui.credentials.ready")
        self.body.addWidget(self.both_label)
        self.body.addWidget(self.warnings)
        self.body.addSpacing(8)
        self.body.addWidget(self.ready)
        self._init_guide()

        demo_row = QHBoxLayout()
        self.demo_button = QPushButton(self)
        self.demo_button.setObjectName("useDemoButton")
        self.bind(self.demo_button.setText, "gui.credentials.use_demo")
        self.demo_button.clicked.connect(self.use_demo_account)
        self.demo_accounts = make_label(self, name="demoAccounts")
        self.bind(self.demo_accounts.setText, "gui.credentials.demo_accounts")
        demo_row.addWidget(self.demo_button)
        demo_row.addWidget(self.demo_accounts, 1)
        self.body.addLayout(demo_row)

        self._previous = ""  # the email field's text as the page last saw it
        self._fixes: list[Note] = []  # what the last paste or cleanup changed
        self._filled_both = False
        self._moved_token = False  # the last paste into «Usuario» was a token, moved
        self._token_typing = False  # the token is being typed: its hint waits
        self._cleaned: Cleaned = credentials.clean("", "")
        self.emailEdit.textEdited.connect(self._email_edited)
        self.tokenEdit.secretEdited.connect(self._token_edited)
        self.emailEdit.editingFinished.connect(self.apply_cleaning)
        self.tokenEdit.editingFinished.connect(self.apply_cleaning)
        self._show_token(False)
        self._support_changed(ctx.support)
        self._refresh()

    def _init_guide(self) -> None:
        """Where the two values are in Alegra, under the fields (the card's picture,
        which zooms on a click), and, for those who skipped the guide, the guide."""
        self.guide_button = QPushButton(self)
        self.guide_button.setObjectName("showGuideButton")
        self.bind(self.guide_button.setText, "gui.credentials.show_guide")
        self.guide_button.clicked.connect(self.guideRequested)
        self.guide_button.hide()
        row = QHBoxLayout()
        row.addWidget(self.guide_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.reference = StepImage("copy_credentials", self.ctx.lang, self)
        self.reference.setObjectName("pasteReferenceImage")
        self.reference.setMinimumSize(0, 0)  # a low window gives it no room: it scrolls
        self.bind(self.reference.setAccessibleName, "gui.credentials.reference")
        self.reference.zoomRequested.connect(self._zoom_reference)
        self.body.addWidget(self.reference, 1)

    def offer_guide(self, on: bool) -> None:
        self.guide_button.setVisible(on)

    def _zoom_reference(self) -> None:
        from wizard.ui.images import ZoomView

        title = self.ctx.t("gui.credentials.reference")
        ZoomView(self.reference, title, self.ctx.t("gui.guide.zoom_close"), self).open()

    def start_update(self, profile: Profile) -> None:
        """Rotation: the stored email is filled in, and the page says what happens."""
        self.update_notice.setText(self.ctx.t("gui.update.notice", name=profile.name))
        self.update_notice.show()
        self._set_texts(profile.email, "")
        self._refresh()

    # --- Qt wizard hooks ---
    def initializePage(self) -> None:
        self.demo_button.setVisible(self.ctx.demo)
        self.demo_accounts.setVisible(self.ctx.demo)
        target = self.tokenEdit if self.ctx.updating else self.emailEdit
        target.setFocus()
        # Again once QWizard has finished switching pages (and the window is shown): it
        # hands the focus to the page's first field otherwise, the email in rotation.
        QTimer.singleShot(0, lambda: self._focus_if_here(target))

    def _focus_if_here(self, target: QLineEdit) -> None:
        wizard = self.wizard()
        if wizard is not None and wizard.currentPage() is self:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            if target is self.emailEdit:
                return
            self.emailEdit.deselect()

    def cleanupPage(self) -> None:
        """Back from here keeps what was typed (QWizard would reset registered fields)."""
        self.show_button.setChecked(False)

    def isComplete(self) -> bool:
        c = self._cleaned
        return c.ok and bool(c.email) and bool(c.token)

    def validatePage(self) -> bool:
        self.apply_cleaning()
        self.show_button.setChecked(False)
        if not self.isComplete():
            return False
        register_secret(self.ctx.token)  # masked in any log line from here on
        return True

    # --- editing ---
    def _raw(self) -> tuple[str, str]:
        return self.emailEdit.text(), self.tokenEdit.token()

    def _email_edited(self, text: str) -> None:
        # What no paste route brought (an input method, an assistive technology writing
        # the field): a jump of two or more characters is cleaned as a paste is.
        previous = self._previous
        self._forget_notes("email")
        pasted = abs(len(text) - len(previous)) >= 2
        if pasted and credentials.looks_like_token(text):
            self._place(previous if "@" in previous else "", text, moved=True)
        elif pasted:
            self.apply_cleaning()
        else:
            self._refresh()

    def _token_edited(self, pasted: bool) -> None:
        self._forget_notes("token")
        # Keystrokes: no «…» + last 4 until the field is left (editingFinished cleans it),
        # or each one would show, and say, the next four characters of the token.
        self._token_typing = not pasted
        if pasted:
            self.apply_cleaning()
        else:
            self._refresh()

    def _forget_notes(self, field: str) -> None:
        """Earlier explanations about this field no longer describe it."""
        self._fixes = [n for n in self._fixes if n.field not in (field, "both")]
        self._filled_both = False
        self._moved_token = self._moved_token and field == "email"

    def _paste(self, field: str, text: str, start: int, end: int) -> None:
        """A paste, before anything is inserted: placed (a card or `email:token` fills
        both fields, a token pasted into «Usuario» goes to the token field), then cleaned;
        only the cleaned values reach the fields."""
        email, token, moved = credentials.place_paste(
            field, self.emailEdit.text(), self.tokenEdit.token(), start, end, text
        )
        self._forget_notes(field)
        self._moved_token = False
        self._place(email, token, moved=moved)

    def _place(self, email: str, token: str, *, moved: bool) -> None:
        if moved:  # a token pasted into «Usuario» (rotation: over the stored email)
            self.show_button.setChecked(False)
            self._moved_token = True
            self.tokenEdit.setFocus(Qt.FocusReason.OtherFocusReason)
        self._clean(email, token)

    def apply_cleaning(self) -> None:
        self._clean(*self._raw())

    def _clean(self, raw_email: str, raw_token: str) -> None:
        self._token_typing = False
        cleaned = credentials.clean(raw_email, raw_token)
        if (cleaned.email, cleaned.token) != self._raw():
            self._set_texts(cleaned.email, cleaned.token)
            self._fixes = list(cleaned.fixes)
            self._filled_both = any(
                n.id in ("split_combined", "decoded_basic_header") for n in cleaned.fixes
            ) and bool(raw_email.strip()) != bool(raw_token.strip())
            self._refresh()
            # What the paste changed, said aloud (also each field's description).
            said = [self.notes[f].text() for f in FIELDS] + [self.both_label.text()]
            announce(
                self.tokenEdit if not cleaned.email else self.emailEdit,
                " ".join(s for s in said if s),
            )
            return
        self._refresh()

    def _set_texts(self, email: str, token: str) -> None:
        if self.emailEdit.text() != email:
            self.emailEdit.setText(email)  # setText does not emit textEdited
        if self.tokenEdit.token() != token:
            self.tokenEdit.set_token(token)
            self._token_typing = False

    def _forget_token(self) -> None:
        self._set_texts(self.emailEdit.text(), "")
        self._refresh()

    def use_demo_account(self) -> None:
        from wizard.sandbox import DEMO_TOKEN

        self._set_texts("demo@alegra.test", DEMO_TOKEN)
        self._fixes, self._filled_both = [], False
        self._refresh()

    def _support_changed(self, on: bool) -> None:
        """Support-safe mode: no way to show the token, and it is hidden at once."""
        if on:
            self.show_button.setChecked(False)
        self.show_button.setEnabled(not on)
        self.show_button.setToolTip(self.ctx.t("support.token_hidden") if on else "")

    def _show_token(self, shown: bool) -> None:
        if shown and self.ctx.support:
            self.show_button.setChecked(False)
            return
        self.token_shown.setText(self.tokenEdit.token() if shown else "")
        self.token_shown.setVisible(shown and bool(self.tokenEdit.token()))
        self.show_button.setText(
            self.ctx.t("gui.credentials.hide" if shown else "gui.credentials.show")
        )

    def on_language_changed(self) -> None:
        self._show_token(self.show_button.isChecked())
        self._refresh()

    # --- what the page says ---
    def _refresh(self) -> None:
        self._previous = self.emailEdit.text()
        self._cleaned = c = credentials.clean(*self._raw())
        self.ctx.email, self.ctx.token = c.email, c.token
        lang = self.ctx.lang
        for field in FIELDS:
            note = credentials.summary(self._fixes, field, lang)
            if field == "token" and self._moved_token:
                note = " ".join((self.ctx.t("gui.credentials.token_moved"), note)).strip()
            self.notes[field].setText(note)
            problems = [
                n for n in c.problems if n.field in (field, "both") and n.id not in QUIET_PROBLEMS
            ]
            self.problems[field].setText("\n".join(credentials.describe(problems, lang)))
        if self.show_button.isChecked():
            self._show_token(True)  # the shown token follows the field
        hint = "" if self._token_typing else present.mask_token(c.token)
        self.token_hint.setText(self.ctx.t("gui.credentials.token_hint", hint=hint) if hint else "")
        self.both_label.setText(
            self.ctx.t("gui.credentials.filled_both") if self._filled_both else ""
        )
        self.warnings.setText("\n".join(credentials.describe(c.warnings, lang)))
        for label in (
            *self.notes.values(),
            *self.problems.values(),
            self.token_hint,
            self.both_label,
            self.warnings,
        ):
            label.setVisible(bool(label.text()))
        self.ready.setVisible(self.isComplete())
        # A screen reader hears a field's notes and problems as its description.
        for field, edit in (("email", self.emailEdit), ("token", self.tokenEdit)):
            said = [self.notes[field].text(), self.problems[field].text()]
            if field == "token":
                said.insert(0, self.token_hint.text())
            edit.setAccessibleDescription(" ".join(s for s in said if s))
        self.completeChanged.emit()
