"""The welcome page's saved connections: what is stored (company, email, token «…1234»,
the last check and how it went, in words) and, for the selected one, Revisar (a live
re-check), Cambiar token (the rotation flow, after the «Renovar token» warning),
Renombrar, Quitar and Usar por defecto; «Conectar otra empresa» starts the normal flow.

Mounted after the first paint (WelcomePage.mount_connections, from build_rest): this
module, the store and keyring are not imported before it. Every store call (a file
read, the keyring) runs on a worker thread: a hung Secret Service never freezes page one.

Test mode: the connections listed are whatever the context's store holds (in test mode
an in-memory store); a listed connection that does not point at the test Alegra is
never re-checked, renamed, removed or made the default from test mode, so the user's
real connections and their secrets are not touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, QLocale, QSize, Qt, QTimeZone, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from wizard import hints, present
from wizard.outcomes import Code
from wizard.ui import style
from wizard.ui.base import hint_body_html, make_label, tone
from wizard.ui.context import WizardContext
from wizard.ui.worker import Outcome, Worker

if TYPE_CHECKING:
    from wizard.check import CheckResult
    from wizard.recheck import Report
    from wizard.store import Profile

MAX_VISIBLE_ROWS = 2  # more scroll inside the list: page one must fit a 1280×720 laptop
# Failures whose fix is a new token: the result dialog offers «Cambiar token» for them.
ROTATE_FIXES = frozenset({Code.UNAUTHORIZED})
# The buttons acting on the selected connection: (attribute, catalog key, objectName).
ACTIONS = (
    ("check_button", "gui.connections.check", "checkConnectionButton"),
    ("rotate_button", "gui.connections.rotate", "rotateTokenButton"),
    ("rename_button", "gui.connections.rename", "renameConnectionButton"),
    ("remove_button", "gui.connections.remove", "removeConnectionButton"),
    ("default_button", "gui.connections.make_default", "defaultConnectionButton"),
)


@dataclass(frozen=True)
class Confirm:
    """An «are you sure?» box before acting on a connection (ConnectionsView._confirm)."""

    object_name: str
    icon: QMessageBox.Icon
    title: str  # catalog keys; `warning` is given the connection's {name}
    warning: str
    yes: str


ROTATE = Confirm(
    "rotateWarningBox",
    QMessageBox.Icon.Warning,
    "gui.connections.rotate_title",
    "gui.connections.rotate_warning",
    "gui.connections.rotate_yes",
)
REMOVE = Confirm(
    "removeConfirmBox",
    QMessageBox.Icon.Question,
    "gui.connections.remove_title",
    "gui.connections.remove_warning",
    "gui.connections.remove_yes",
)


@dataclass(frozen=True)
class Listing:
    """What the store holds, read on a worker thread."""

    profiles: list[Profile]
    default_id: str | None


def when_text(iso: str | None, lang: str) -> str | None:
    """A stored UTC time as the user's local date and time («1 dic 2026, 14:03»)."""
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return None
    local = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), QTimeZone.systemTimeZone())
    locale = QLocale(QLocale.Language.Spanish if lang == "es" else QLocale.Language.English)
    return str(locale.toString(local, "d MMM yyyy, HH:mm")).replace(".", "")


def result_words(ctx: WizardContext, code: str | None) -> str:
    """A check's outcome in words: «la conexión funcionó», else the hint's title."""
    if code is None:
        return ""
    if code == Code.CONNECTED.value:
        return ctx.t("gui.connections.result_ok")
    try:
        return hints.hint_for(Code(code), ctx.lang, country=ctx.country).title
    except (ValueError, KeyError):  # a code from a newer version: say it as it is
        return code


def describe(ctx: WizardContext, profile: Profile, is_default: bool) -> list[str]:
    """The lines a connection shows: name, company · email · token, last check."""
    # Names and companies may come from a server: no bidi tricks, no control characters.
    profile = replace(
        profile,
        name=present.clean_text(profile.name),
        company=present.clean_optional(profile.company),
    )
    title = profile.name or profile.company or profile.email
    if is_default:
        title = ctx.t("gui.connections.default_mark", name=title)
    facts = [profile.company] if profile.company and profile.company != profile.name else []
    facts += [profile.email, ctx.t("gui.connections.token", hint=profile.token_hint or "—")]
    when = when_text(profile.last_check_at, ctx.lang)
    if when is None:
        last = ctx.t("gui.connections.never_checked")
    else:
        words = result_words(ctx, profile.last_check_code)
        last = ctx.t("gui.connections.last_check", when=when, result=words)
    lines = [title, " · ".join(f for f in facts if f), last]
    if profile.needs_missing and ctx.app.name:  # saved while the product lacked a need
        from wizard.needs import names

        missing = names(profile.needs_missing.split(","), ctx.lang)
        lines.append(ctx.t("brand.connection_missing", name=ctx.app.name, resources=missing))
    return lines


def hint_html(ctx: WizardContext, result: CheckResult) -> tuple[str, str]:
    """(title, body HTML) for a failed check, as the test page shows it (the one lookup
    in wizard/present.py, in the country's words)."""
    hint = present.hint_for_result(result, ctx.lang, ctx.country)
    assert hint is not None  # only failures come here
    return hint.title, hint_body_html(ctx, hint, result.detail or "")


class ConnectionsList(QListWidget):
    """A list as tall as MAX_VISIBLE_ROWS connections when there is room, and as short
    as one when the window is not (a 1280×720 laptop): the rest scrolls inside it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._heights = (0, 0)  # (one row, MAX_VISIBLE_ROWS rows), frame included

    def fit(self) -> None:
        rows = [max(self.sizeHintForRow(r), 0) for r in range(min(self.count(), MAX_VISIBLE_ROWS))]
        floor = self.fontMetrics().height() * 3
        one = max(rows[0] if rows else 0, floor)
        frame = 2 * self.frameWidth()
        self._heights = (one + frame, max(sum(rows), one) + frame)
        self.setMaximumHeight(self._heights[1])
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._heights[1])

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Show whole rows only: a half-drawn connection looks cut off. What is left
        below the last whole row stays blank inside the frame."""
        row = self.sizeHintForRow(0)
        inside = self.height() - 2 * self.frameWidth()
        spare = inside - max(1, inside // row) * row if row > 0 else 0
        self.setViewportMargins(0, 0, 0, max(0, spare))
        super().resizeEvent(event)

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self._heights[0])


class CheckResultDialog(QDialog):
    """A failed re-check: the hint (causes, numbered steps, link) as on the test page,
    with «Cambiar token» when a new token is the fix."""

    def __init__(
        self,
        ctx: WizardContext,
        name: str,
        title: str,
        body: str,
        offer_rotate: bool,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("connectionCheckDialog")
        self.setWindowTitle(ctx.t("gui.connections.check_title", name=name))
        layout = QVBoxLayout(self)
        self.status = make_label(self, name="connectionCheckStatus")
        self.status.setStyleSheet(tone("error", bold=True))
        self.status.setText(title)
        self.hint_view = QTextBrowser(self)
        self.hint_view.setObjectName("connectionHintView")
        self.hint_view.setOpenExternalLinks(True)
        self.hint_view.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.hint_view.setAccessibleName(ctx.t("gui.test.steps"))
        self.hint_view.setHtml(body)
        self.hint_view.setTabChangesFocus(True)  # Tab leaves the text, as in every field
        layout.addWidget(self.status)
        layout.addWidget(self.hint_view, 1)
        buttons = QDialogButtonBox(self)
        self.rotate_button: QPushButton | None = None
        if offer_rotate:
            self.rotate_button = buttons.addButton(
                ctx.t("gui.connections.rotate"), QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.rotate_button.setObjectName("dialogRotateButton")
        close = buttons.addButton(
            ctx.t("gui.connections.close"), QDialogButtonBox.ButtonRole.RejectRole
        )
        close.setObjectName("dialogCloseButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 360)
        close.setFocus()


class ConnectionsView(QFrame):
    """The stored connections and what can be done with each one."""

    rotateRequested = Signal(str)  # profile id: the wizard starts the rotation flow
    newRequested = Signal()  # «Conectar otra empresa»
    shownChanged = Signal(bool)  # whether there is anything to show (page one adapts)

    def __init__(self, ctx: WizardContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("connectionsView")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.listing = Listing([], None)
        self.loaded = False  # the first read came back (tests wait for it)
        self.dialog: QDialog | None = None
        self._checking: str | None = None  # the profile id a re-check runs for
        self._select_after: str | None = None  # the row to select after the next listing

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        header = QHBoxLayout()
        self.title = make_label(self, wrap=False, catalog_only=True, name="connectionsTitle")
        header.addWidget(self.title, 1)
        self.new_button = QPushButton(self)
        self.new_button.setObjectName("newConnectionButton")
        self.new_button.clicked.connect(self.newRequested)
        header.addWidget(self.new_button)
        self.check_all_button = QPushButton(self)  # «Revisar todas»: every connection, live
        self.check_all_button.setObjectName("checkAllButton")
        self.check_all_button.setAutoDefault(False)
        self.check_all_button.clicked.connect(self.check_all)
        header.addWidget(self.check_all_button)
        layout.addLayout(header)

        self.list = ConnectionsList(self)
        self.list.setObjectName("connectionsList")
        self.list.setTabKeyNavigation(False)  # Tab leaves the list; arrows move in it
        self.list.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.list.setWordWrap(True)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerItem)  # whole rows
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A line between connections (palette-aware: light and dark), room around the text.
        # (With ::item styled, the selected row must be styled too, or its text is drawn
        # in the highlight colour on no highlight: invisible.)
        self.list.setStyleSheet(
            "QListWidget#connectionsList::item { padding: 3px 4px;"
            " border-bottom: 1px solid palette(mid); }"
            " QListWidget#connectionsList::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }"
        )
        self.list.currentRowChanged.connect(self._selection_changed)
        self.title.setBuddy(self.list)
        layout.addWidget(self.list)

        actions = QHBoxLayout()
        for attribute, _key, name in ACTIONS:
            button = QPushButton(self)
            button.setObjectName(name)
            button.setAutoDefault(False)
            setattr(self, attribute, button)
            actions.addWidget(button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.status = make_label(self, name="connectionsStatus", selectable=True)
        self.status.hide()
        layout.addWidget(self.status)
        self.new_button.setAutoDefault(False)

        self.check_button.clicked.connect(self.check_selected)
        self.rotate_button.clicked.connect(lambda: self.ask_rotate())  # not `checked` as an id
        self.rename_button.clicked.connect(self.ask_rename)
        self.remove_button.clicked.connect(self.ask_remove)
        self.default_button.clicked.connect(self.make_default)

        self.store_worker = Worker(self)  # listing, rename, remove, default: one at a time
        self.store_worker.done.connect(self._store_done)
        self._pending: str = "list"
        self.check_worker = Worker(self)
        self.check_worker.done.connect(self._checked)
        self.check_all_worker = Worker(self)
        self.check_all_worker.done.connect(self._checked_all)

        self.retranslate()
        ctx.languageChanged.connect(self.retranslate)
        ctx.countryChanged.connect(self.retranslate)
        ctx.demoChanged.connect(lambda _on: self.reload())
        self.setVisible(False)

    # --- state ---
    check_button: QPushButton
    check_all_button: QPushButton
    rotate_button: QPushButton
    rename_button: QPushButton
    remove_button: QPushButton
    default_button: QPushButton

    @property
    def profiles(self) -> list[Profile]:
        return self.listing.profiles

    def selected(self) -> Profile | None:
        row = self.list.currentRow()
        return self.profiles[row] if 0 <= row < len(self.profiles) else None

    def select(self, profile_id: str) -> None:
        for row, profile in enumerate(self.profiles):
            if profile.id == profile_id:
                self.list.setCurrentRow(row)

    def touchable(self, profile: Profile) -> bool:
        """In test mode only the test Alegra's connections may be used or changed."""
        if not self.ctx.demo:
            return True
        return profile.base_url.rstrip("/") == self.ctx.base_url.rstrip("/")

    # --- reading the store (worker thread) ---
    def reload(self) -> None:
        store = self.ctx.store

        def read(_cancel: object) -> Listing:
            return Listing(store.list_profiles(), store.default_id())

        self._run_store("list", read)

    def _run_store(self, what: str, task: object) -> None:
        self._pending = what
        self.store_worker.run(task, f"connections-{what}")  # type: ignore[arg-type]
        self._refresh_buttons()

    def _store_done(self, outcome: Outcome) -> None:
        what = self._pending
        if outcome.error is not None:
            from wizard.store import ProfileChoiceError

            if isinstance(outcome.error, ProfileChoiceError):  # gone meanwhile (CLI, another
                self._say(self.ctx.t("gui.connections.gone"), "error")  # window): show what is
            else:
                self._say_storage_error(outcome.error)
            if what != "list":
                self.reload()
            else:
                self.loaded = True
                self._refresh_buttons()
            return
        if what == "list":
            self._show_listing(outcome.value)
            return
        message, select = outcome.value
        self._select_after = select
        self._say(message, "ok")
        self.reload()

    def _show_listing(self, listing: Listing) -> None:
        current = self.selected()
        previous = self._select_after or (current.id if current else None)
        self._select_after = None
        self.listing = listing
        self.loaded = True
        self.title.setText(self.ctx.t("gui.connections.title", count=len(listing.profiles)))
        self._fill()
        target = previous or listing.default_id
        if target and any(p.id == target for p in listing.profiles):
            self.select(target)
        elif listing.profiles:
            self.list.setCurrentRow(0)
        self._refresh_buttons()
        shown = bool(listing.profiles) or self.status.isVisible()
        if shown != self.isVisible():
            self.setVisible(shown)
            self.shownChanged.emit(shown)

    # --- what the view shows ---
    def retranslate(self, *_: object) -> None:
        t = self.ctx.t
        self.title.setText(t("gui.connections.title", count=len(self.profiles)))
        self.new_button.setText(t("gui.connections.new"))
        self.new_button.setAccessibleDescription(t("gui.connections.new_help"))
        self.new_button.setToolTip(t("gui.connections.new_help"))
        self.check_all_button.setAccessibleDescription(t("gui.connections.check_all_help"))
        self.check_all_button.setToolTip(t("gui.connections.check_all_help"))
        self.list.setAccessibleName(t("gui.connections.list_name"))
        for attribute, key, _name in ACTIONS:
            button: QPushButton = getattr(self, attribute)
            button.setText(t(key))
            button.setAccessibleDescription(t(f"{key}_help"))
            button.setToolTip(t(f"{key}_help"))
        self._fill()
        self._refresh_buttons()

    def _fill(self) -> None:
        row = self.list.currentRow()
        self.list.blockSignals(True)
        self.list.clear()
        default_id = self.listing.default_id
        for profile in self.profiles:
            lines = describe(self.ctx, profile, profile.id == default_id)
            if not self.touchable(profile):
                lines.append(self.ctx.t("gui.connections.demo_locked"))
            item = QListWidgetItem("\n".join(lines))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, ". ".join(lines))
            item.setData(Qt.ItemDataRole.UserRole, profile.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        if 0 <= row < self.list.count():
            self.list.setCurrentRow(row)
        self._fit_list()

    def _fit_list(self) -> None:
        self.list.fit()

    def _selection_changed(self, _row: int) -> None:
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        profile = self.selected()
        idle = not self.store_worker.busy
        usable = profile is not None and idle and self.touchable(profile)
        one, every = self.check_worker.busy, self.check_all_worker.busy  # re-checks running
        for button in (self.rotate_button, self.rename_button, self.remove_button):
            button.setEnabled(usable and not (one or every))
        is_default = profile is not None and profile.id == self.listing.default_id
        self.default_button.setEnabled(usable and not (one or every) and not is_default)
        key = "gui.connections.stop" if one else "gui.connections.check"
        self.check_button.setText(self.ctx.t(key))
        self.check_button.setEnabled((one or usable) and not every)
        key = "gui.connections.stop_all" if every else "gui.connections.check_all"
        self.check_all_button.setText(self.ctx.t(key))
        self.check_all_button.setEnabled(
            every or (idle and not one and any(map(self.touchable, self.profiles)))
        )

    def _say(self, text: str, kind: str | None = None) -> None:
        style.restyle(self.status, tone(kind, bold=True) if kind else "")
        self.status.setText(text)
        self.status.show()
        # A screen reader says it without moving the focus (AT-SPI's object:announcement):
        # a result the user asked for, a failure at once.
        event = QAccessibleAnnouncementEvent(self.status, text)
        event.setPoliteness(
            QAccessible.AnnouncementPoliteness.Assertive
            if kind == "error"
            else QAccessible.AnnouncementPoliteness.Polite
        )
        QAccessible.updateAccessibility(event)

    def _say_storage_error(self, error: BaseException) -> None:
        hint = present.storage_texts(
            getattr(error, "reason", "failed"), self.ctx.lang, self.ctx.country
        )
        steps = " ".join(hint.steps[:1])
        self._say(f"{hint.title} {steps}".strip(), "error")
        if not self.isVisible():
            self.setVisible(True)
            self.shownChanged.emit(True)

    # --- Revisar: a live re-check ---
    def check_selected(self) -> None:
        if self.check_worker.busy:
            self.check_worker.cancel()
            self._checking = None
            self._say(self.ctx.t("gui.connections.check_stopped"))
            self._refresh_buttons()
            return
        profile = self.selected()
        if profile is None or not self.touchable(profile):
            return
        store, check = self.ctx.store, self.ctx.check
        base_url = profile.base_url or self.ctx.base_url
        profile_id = profile.id

        def recheck(cancel: object) -> CheckResult:
            import threading

            assert isinstance(cancel, threading.Event)
            creds = store.load(profile_id)  # the token stays inside this function
            result = check(creds.profile.email, creds.token, base_url, cancel)
            if not cancel.is_set():
                store.update_last_check(
                    profile_id, result.code.value, user=result.user, rate_limit=result.rate_limit
                )
            return result

        self._checking = profile_id
        self.check_worker.run(recheck, "recheck")
        self._say(self.ctx.t("gui.connections.checking", name=profile.name))
        self._refresh_buttons()

    def _checked(self, outcome: Outcome) -> None:
        profile_id, self._checking = self._checking, None
        profile = next((p for p in self.profiles if p.id == profile_id), None)
        name = profile.name if profile else (profile_id or "")
        self._refresh_buttons()
        if outcome.error is not None:
            self._say_storage_error(outcome.error)
            reason = getattr(getattr(outcome.error, "reason", None), "value", None)
            reason = reason or str(getattr(outcome.error, "reason", ""))
            if reason == "missing_secret" and profile_id:  # the secret is gone: a new token
                self._say(self.ctx.t("gui.connections.missing_secret", name=name), "error")
            return
        result: CheckResult = outcome.value
        self.reload()
        if result.code == Code.CONNECTED:
            company = present.clean_optional(result.company.name if result.company else None)
            user = present.clean_optional(result.user.name if result.user else None)
            # Who the token belongs to: a colleague's token is a common onboarding mistake.
            key = "gui.connections.check_ok_user" if user else "gui.connections.check_ok"
            self._say(self.ctx.t(key, name=name, company=company or name, user=user), "ok")
            return
        title, body = hint_html(self.ctx, result)
        self._say(self.ctx.t("gui.connections.check_failed", name=name, problem=title), "error")
        self._open_result(name, title, body, profile_id, result.code in ROTATE_FIXES)

    # --- Revisar todas: every connection, live, one after another ---
    def check_all(self) -> None:
        if self.check_all_worker.busy:
            self.check_all_worker.cancel()
            self._say(self.ctx.t("gui.connections.check_all_stopped"))
            self.reload()  # the ones already checked show their result
            return
        profiles = [p for p in self.profiles if self.touchable(p)]
        if not profiles or self.check_worker.busy:
            return
        store, check, base_url = self.ctx.store, self.ctx.check, self.ctx.base_url

        def recheck(cancel: object) -> Report:
            import threading

            from wizard.recheck import recheck_all

            assert isinstance(cancel, threading.Event)

            def check_one(email: str, token: str, base: str | None, stop: object) -> CheckResult:
                return check(email, token, base or base_url, stop)  # type: ignore[arg-type]

            return recheck_all(store, check_one, cancel=cancel, profiles=profiles)

        self.check_all_worker.run(recheck, "recheck-all")
        self._say(self.ctx.t("gui.connections.checking_all", count=len(profiles)))
        self._refresh_buttons()

    def _checked_all(self, outcome: Outcome) -> None:
        self._refresh_buttons()
        if outcome.error is not None:
            self._say_storage_error(outcome.error)
            return
        report: Report = outcome.value
        self.reload()  # each row now shows its last check
        total = len(report.rows)
        working = sum(row.code == Code.CONNECTED for row in report.rows)
        unchecked = sum(row.code is None for row in report.rows)
        text = self.ctx.t(
            "gui.connections.check_all_done", total=total, working=working,
            failing=total - working - unchecked,
        )  # fmt: skip
        if report.wait_s is not None:
            from wizard.hints import wait_words

            wait = wait_words(report.wait_s, self.ctx.lang)
            text += " " + self.ctx.t("gui.connections.check_all_wait", wait=wait)
        self._say(text, "ok" if report.ok else "error")

    def _open_result(
        self, name: str, title: str, body: str, profile_id: str | None, offer_rotate: bool
    ) -> None:
        dialog = CheckResultDialog(
            self.ctx, name, title, body, offer_rotate and bool(profile_id), self
        )
        if profile_id:
            dialog.accepted.connect(lambda: self.ask_rotate(profile_id))
        self.dialog = dialog
        dialog.open()

    # --- Cambiar token: the «Renovar token» warning first ---
    def ask_rotate(self, profile_id: str | None = None) -> None:
        self._confirm(ROTATE, self._profile(profile_id), lambda p: self.rotateRequested.emit(p.id))

    # --- Renombrar ---
    def ask_rename(self) -> None:
        profile = self.selected()
        if profile is None or not self.touchable(profile):
            return
        dialog = QInputDialog(self)
        dialog.setObjectName("renameDialog")
        dialog.setWindowTitle(self.ctx.t("gui.connections.rename_title"))
        dialog.setLabelText(self.ctx.t("gui.connections.rename_label", name=profile.name))
        dialog.setTextValue(profile.name)
        dialog.setOkButtonText(self.ctx.t("gui.connections.rename_yes"))
        dialog.setCancelButtonText(self.ctx.t("gui.connections.back"))
        edit = dialog.findChild(QLineEdit)
        if edit is not None:
            # Room for a company's full name (the dialog sizes itself to its layout).
            edit.setMinimumWidth(380)
            edit.setAccessibleName(self.ctx.t("gui.connections.rename_name"))
            edit.setObjectName("renameEdit")
        pid = profile.id
        dialog.textValueSelected.connect(lambda text: self.rename(pid, text))
        self.dialog = dialog
        dialog.open()

    def rename(self, profile_id: str, new_name: str) -> None:
        new_name = new_name.strip()
        profile = self._profile(profile_id)
        if profile is None or not new_name or new_name == profile.name:
            return
        store, t = self.ctx.store, self.ctx.t

        def task(_cancel: object) -> tuple[str, str]:
            from wizard.store import ProfileExists

            try:
                renamed = store.rename(profile_id, new_name)
            except ProfileExists:
                return t("gui.connections.rename_clash", name=new_name), profile_id
            return t("gui.connections.renamed", old=profile.name, name=renamed.name), renamed.id

        self._run_store("rename", task)

    # --- Quitar ---
    def ask_remove(self) -> None:
        self._confirm(REMOVE, self.selected(), lambda p: self.remove(p.id, p.name))

    def remove(self, profile_id: str, name: str) -> None:
        store, t = self.ctx.store, self.ctx.t

        def task(_cancel: object) -> tuple[str, None]:
            store.forget(profile_id)
            return t("gui.connections.removed", name=name), None

        self._run_store("remove", task)

    # --- Usar por defecto ---
    def make_default(self) -> None:
        profile = self.selected()
        if profile is None or not self.touchable(profile):
            return
        store, t, pid, name = self.ctx.store, self.ctx.t, profile.id, profile.name

        def task(_cancel: object) -> tuple[str, str]:
            store.set_default(pid)
            return t("gui.connections.now_default", name=name), pid

        self._run_store("default", task)

    # --- helpers ---
    def _profile(self, profile_id: str | None) -> Profile | None:
        if profile_id is None:
            return self.selected()
        return next((p for p in self.profiles if p.id == profile_id), None)

    def _confirm(
        self, box_kind: Confirm, profile: Profile | None, then: Callable[[Profile], object]
    ) -> None:
        """Ask before acting on a connection we may touch: a message box, opened with
        open(), never exec() (the event loop keeps running, and tests can answer); `then`
        runs with the profile only when the user chose the confirm button."""
        if profile is None or not self.touchable(profile):
            return
        t = self.ctx.t
        box = QMessageBox(
            box_kind.icon, t(box_kind.title), t(box_kind.warning, name=profile.name), parent=self
        )
        box.setObjectName(box_kind.object_name)
        box.setTextFormat(Qt.TextFormat.PlainText)  # a profile name is the user's text
        yes = box.addButton(t(box_kind.yes), QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton(t("gui.connections.back"), QMessageBox.ButtonRole.RejectRole)
        yes.setObjectName("confirmButton")
        back.setObjectName("backButton")
        box.setDefaultButton(back)  # the safe answer on Enter
        box.setEscapeButton(back)

        # A message box's custom buttons finish with their index, not Accepted: ask
        # which button it was.
        chosen = profile

        def answered(_result: int) -> None:
            clicked = box.clickedButton()
            if clicked is not None and clicked.objectName() == "confirmButton":
                then(chosen)

        box.finished.connect(answered)
        self.dialog = box
        box.open()
