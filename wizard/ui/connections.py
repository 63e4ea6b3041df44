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
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wizard import present
from wizard.outcomes import Code
from wizard.ui import style
from wizard.ui.base import make_label, tone
from wizard.ui.connection_checks import (
    checked_all_text,
    connected_text,
    recheck_every,
    recheck_one,
)
from wizard.ui.connection_dialogs import (
    REMOVE,
    ROTATE,
    CheckResultDialog,
    Confirm,
    confirm_box,
    rename_dialog,
)
from wizard.ui.connection_list import ConnectionsList, describe, hint_html
from wizard.ui.context import WizardContext
from wizard.ui.worker import Outcome, Worker

if TYPE_CHECKING:
    from wizard.check import CheckResult
    from wizard.recheck import Report
    from wizard.store import Profile

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
class Listing:
    """What the store holds, read on a worker thread."""

    profiles: list[Profile]
    default_id: str | None


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
        base_url = profile.base_url or self.ctx.base_url
        self._checking = profile.id
        task = recheck_one(self.ctx.store, self.ctx.check, profile.id, base_url)
        self.check_worker.run(task, "recheck")
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
            self._say(connected_text(self.ctx, name, result), "ok")
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
        task = recheck_every(self.ctx.store, self.ctx.check, self.ctx.base_url, profiles)
        self.check_all_worker.run(task, "recheck-all")
        self._say(self.ctx.t("gui.connections.checking_all", count=len(profiles)))
        self._refresh_buttons()

    def _checked_all(self, outcome: Outcome) -> None:
        self._refresh_buttons()
        if outcome.error is not None:
            self._say_storage_error(outcome.error)
            return
        report: Report = outcome.value
        self.reload()  # each row now shows its last check
        self._say(checked_all_text(self.ctx, report), "ok" if report.ok else "error")

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
        pid = profile.id
        self.dialog = rename_dialog(self, self.ctx, profile, lambda text: self.rename(pid, text))

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
        self.dialog = confirm_box(self, self.ctx, box_kind, profile, then)
