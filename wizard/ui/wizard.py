"""The QWizard that holds the pages, in DESIGN's order, plus what spans pages:
button texts in the chosen language, Esc/close that never loses work silently."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget, QWizard

from wizard.ui import pages, style
from wizard.ui.base import BasePage
from wizard.ui.context import WizardContext
from wizard.ui.steps import StepList
from wizard.ui.welcome import WelcomePage

# Qt classes used only after the first paint (the quit box, the buttons of the other
# pages) are imported where they are used: PySide builds a class's enums the first time
# Python touches it (QMessageBox's: ~1 ms).
if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QResizeEvent
    from PySide6.QtWidgets import QDialog, QMessageBox, QWizardPage

    from wizard.ui.check_page import CheckPage
    from wizard.ui.credentials_page import CredentialsPage
    from wizard.ui.done_page import DonePage
    from wizard.ui.guide import CopyCredentialsPage, ManualApiPage, OpenSettingsPage, SignInPage
    from wizard.ui.save_page import SavePage

# Pages with nothing to type: the user's next action is Next.
GUIDE_PAGES = tuple(page.name for page in pages.GUIDE)

# The wizard's buttons that move on: filled teal as a page's main action.
MAIN_BUTTONS = (
    QWizard.WizardButton.NextButton,
    QWizard.WizardButton.CommitButton,
    QWizard.WizardButton.FinishButton,
)
BUTTON_KEYS = {
    QWizard.WizardButton.NextButton: "gui.button.next",
    QWizard.WizardButton.BackButton: "gui.button.back",
    QWizard.WizardButton.CancelButton: "gui.button.cancel",
    QWizard.WizardButton.FinishButton: "gui.button.finish",
    QWizard.WizardButton.CommitButton: "gui.button.commit",
}


class AlegraWizard(QWizard):
    sign_in: SignInPage
    open_settings: OpenSettingsPage
    manual_api: ManualApiPage
    copy_credentials: CopyCredentialsPage
    credentials: CredentialsPage
    test: CheckPage
    save: SavePage
    done_page: DonePage

    def __init__(
        self, ctx: WizardContext, parent: QWidget | None = None, *, lazy: bool = False
    ) -> None:
        """lazy: only the welcome page now, the rest with build_rest() (app.main calls it
        right after the first paint, so the window appears sooner)."""
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("alegraWizard")
        for which in MAIN_BUTTONS:
            style.mark_primary(self.button(which))
        # One look on every OS: the pages draw their own header (base.BasePage), so
        # QWizard's header band never shows; the classic style has no watermark either.
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.page_ids: dict[str, int] = {}
        # The whole journey beside the pages: where the user is, what is done.
        self.steps = StepList(ctx)
        self.setSideWidget(self.steps)
        self.currentIdChanged.connect(self._page_changed)
        self.finished.connect(ctx.clear_clipboard)  # the token never outlives the window there
        self.welcome = WelcomePage(ctx)
        self._add(self.welcome)
        self.welcome.newRequested.connect(self.next)
        self.welcome.rotateRequested.connect(self._rotate)
        self.welcome.shortcutRequested.connect(self.take_shortcut)
        # «Ya tengo mi usuario y token»: from page one straight to the paste page.
        self.shortcut = False
        # The brand's buttons and focus rings: before the first paint on the few controls
        # page one shows (a sheet on the whole window sends every label through Qt's
        # style-sheet style, ~18 M instructions); on the window and its dialogs in
        # build_rest, after the paint.
        sheet = style.window_sheet()
        for control in (*self._wizard_buttons(), *self.welcome.controls()):
            control.setStyleSheet(sheet)
        self._quit_box: QMessageBox | None = None
        self._allow_close = False
        self._built = False
        # Support-safe mode: "Informe de soporte" beside the wizard's own buttons.
        self.setOption(QWizard.WizardOption.HaveCustomButton1, ctx.support)
        self.customButtonClicked.connect(self._custom_button)
        ctx.supportChanged.connect(self._support_changed)
        self.support_dialog: QDialog | None = None
        self._retranslate()
        ctx.languageChanged.connect(self._retranslate)
        # Qt would cap a new window at 2/3 of the screen: ask for our size (which the
        # screen bounds) outright.
        self.resize(self.sizeHint())
        if lazy:  # until the other pages exist, show Next (disabled) rather than Close
            self.setOption(QWizard.WizardOption.HaveNextButtonOnLastPage, True)
        else:
            self.build_rest()

    def build_rest(self) -> None:
        """The pages after the first, from the PAGES table (their classes imported now)."""
        if self._built:
            return
        import importlib

        from PySide6.QtWidgets import QPushButton

        from wizard.ui import keys

        self.welcome.settle_focus()
        self.setStyleSheet(style.window_sheet())  # the window's and its dialogs' controls
        for spec in pages.PAGES[1:]:
            page_class = getattr(importlib.import_module(spec.module), spec.cls)
            page = page_class(self.ctx, *(getattr(self, attr) for attr in spec.needs))
            setattr(self, spec.attr, page)
            self._add(page)
        self.credentials.guideRequested.connect(self.show_guide)
        # Enter presses the focused button, Next only from a field: one rule, in keys.py
        # (auto-default page buttons would also take Next's default look while focused).
        # (Here rather than in _add: the first findChildren costs ~3 ms before the paint.)
        for page_id in self.pageIds():
            for button in self.page(page_id).findChildren(QPushButton):
                button.setAutoDefault(False)
        keys.install(self)
        self._built = True
        self.welcome.mount_connections()  # the saved connections, read off the GUI thread
        self.setOption(QWizard.WizardOption.HaveNextButtonOnLastPage, False)
        # QWizard lays out its buttons (Next vs Close) only when it switches pages: switch
        # to page one again now that it is no longer the last one. Nothing is lost: page
        # one has no registered fields, and the user could not have left it yet.
        if self.currentId() == self.page_ids["welcomePage"]:
            self.restart()

    def _add(self, page: QWizardPage) -> None:
        self.page_ids[page.objectName()] = self.addPage(page)

    def start_update(self, profile_id: str) -> None:
        """--profile P: replace that profile's token. Starts at the credentials page with
        the email filled; unknown profiles start from the beginning with a notice."""
        from wizard.store import StorageError

        try:
            profile = self.ctx.store.find(profile_id)
        except StorageError:
            profile = None
        if profile is None:
            self.welcome.show_notice(self.ctx.t("gui.update.not_found", profile=profile_id))
            return
        self.ctx.updating = profile
        if profile.base_url and not self.ctx.options.base_url:
            self.ctx.options.base_url = profile.base_url
        if profile.country:
            self.ctx.set_country(profile.country)
        self.credentials.start_update(profile)
        self.setStartId(self.page_ids["credentialsPage"])

    def _rotate(self, profile_id: str) -> None:
        self.start_update(profile_id)
        if self.ctx.updating is not None:
            self.restart()  # to the credentials page, the stored email filled in

    def take_shortcut(self) -> None:
        """Page one → the paste page, past the guide (Back returns to page one, and the
        paste page offers the guide)."""
        if self._built and self.currentPage() is self.welcome:
            self.shortcut = True
            self.next()

    def show_guide(self) -> None:
        """From the paste page reached by the shortcut: the guide from its first step."""
        if self.shortcut and self.currentPage() is self.credentials:
            self.back()  # page one, in QWizard's history
            self.shortcut = False
            self.next()

    def nextId(self) -> int:
        if self.shortcut and self.currentPage() is self.welcome and self._built:
            return self.page_ids["credentialsPage"]
        return super().nextId()

    def sizeHint(self) -> QSize:
        """Most of the screen (style.SCREEN_SHARE of its available area, up to
        style.LARGEST): the guide's pictures are drawn as large as they can be read.
        On a small screen (1366x768 at 150 %, 1280x800 at 2x: 910x512, 640x400) all of
        it but the title bar and frame."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return QSize(880, 720)
        room = screen.availableGeometry().size()
        frame_w, frame_h = style.WINDOW_FRAME
        share = style.SCREEN_SHARE if room.height() >= style.SMALL_SCREEN_HEIGHT else 1.0
        largest_w, largest_h = style.LARGEST
        width = min(largest_w, round(room.width() * share), room.width() - frame_w)
        height = min(largest_h, round(room.height() * share), room.height() - frame_h)
        return QSize(width, height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        size = event.size()
        low = size.height() < style.COMPACT_BELOW_HEIGHT
        self.steps.set_compact(size.width() < style.COMPACT_BELOW or low)
        # The narrowest windows (1280x800 at 2x) give the step list's room to the page:
        # each page's header still says «Paso N de 9».
        self.steps.setVisible(size.width() >= style.STEPS_HIDDEN_BELOW)
        for page_id in self.pageIds():
            page = self.page(page_id)
            if isinstance(page, BasePage):
                page.set_compact(low)
        super().resizeEvent(event)

    def _page_changed(self, page_id: int) -> None:
        page = self.page(page_id)
        if page is self.welcome:
            self.shortcut = False  # Next from page one is the guide again
        if self._built and page is self.credentials:
            self.credentials.offer_guide(self.shortcut)
        if page is not None:
            self._mark_main_action(page)
            self.steps.set_current(page.objectName())
            if page.objectName() in GUIDE_PAGES:
                # The guide's steps are read, then Next: start there, with its focus ring
                # (QWizard gives the focus to the page's first Tab stop, the picture or
                # «¿No la encuentras?»). Now, for a key pressed at once, and once the
                # page is shown.
                from PySide6.QtCore import QTimer

                self._focus_next_on(page)
                QTimer.singleShot(0, lambda: self._focus_next_on(page))

    def _wizard_buttons(self) -> list[QWidget]:
        kinds = (*MAIN_BUTTONS, *BUTTON_KEYS, QWizard.WizardButton.CustomButton1)
        return [self.button(which) for which in dict.fromkeys(kinds)]

    def _mark_main_action(self, page: QWizardPage) -> None:
        """Next (or Save, or Close) is the page's main action, filled teal, unless the page
        has its own (sign-in's «Abrir Alegra»)."""
        wizard_main = not getattr(page, "own_main_action", False)
        for which in MAIN_BUTTONS:
            style.mark_primary(self.button(which), wizard_main)

    def _focus_next_on(self, page: QWizardPage) -> None:
        from PySide6.QtCore import Qt

        button = self.button(QWizard.WizardButton.NextButton)
        if self.currentPage() is page and button.isVisible() and button.isEnabled():
            button.setFocus(Qt.FocusReason.TabFocusReason)
            if isinstance(page, BasePage):  # QWizard's first focus (the picture) scrolled it
                page.page_scroll.verticalScrollBar().setValue(0)

    def _support_changed(self, on: bool) -> None:
        self.setOption(QWizard.WizardOption.HaveCustomButton1, on)

    def _custom_button(self, which: int) -> None:
        if which == QWizard.WizardButton.CustomButton1.value:
            self.open_support_report()

    def open_support_report(self) -> None:
        from wizard.ui.support import SupportDialog

        if self.support_dialog is not None:
            self.support_dialog.close()
        self.support_dialog = dialog = SupportDialog(self.ctx, self)
        dialog.finished.connect(lambda _: self._support_dialog_closed(dialog))
        dialog.open()

    def _support_dialog_closed(self, dialog: QDialog) -> None:
        if self.support_dialog is dialog:  # it deletes itself on close
            self.support_dialog = None

    def _retranslate(self, *_: object) -> None:
        self.setWindowTitle(self.ctx.window_title())
        self.setButtonText(QWizard.WizardButton.CustomButton1, self.ctx.t("support.button"))
        for button, key in BUTTON_KEYS.items():
            self.setButtonText(button, self.ctx.t(key))

    # --- leaving ---
    def _unsaved(self) -> bool:
        if not self._built:
            return False
        typed = bool(self.ctx.email or self.ctx.token)
        return typed and self.ctx.saved_profile is None and self.currentPage() is not self.done_page

    def reject(self) -> None:
        """Esc, Cancel or the window's close button: ask before dropping typed data (a
        running check goes on while the question is open, and stops if the user leaves)."""
        if self._allow_close or not self._unsaved():
            self._finish_reject()
            return
        self._ask_quit()

    def _ask_quit(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        # open(), not exec(): the event loop keeps running and tests can answer the box.
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.ctx.t("gui.quit.title"),
            self.ctx.t("gui.quit.text"),
            parent=self,
        )
        box.setObjectName("quitBox")
        quit_button = box.addButton(self.ctx.t("gui.quit.yes"), QMessageBox.ButtonRole.AcceptRole)
        stay = box.addButton(self.ctx.t("gui.quit.no"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)

        def answered() -> None:
            if box.clickedButton() is quit_button:
                self._allow_close = True
                self._finish_reject()

        box.finished.connect(answered)
        self._quit_box = box
        box.open()

    def _finish_reject(self) -> None:
        if self._built:
            self.test.runner.cancel()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._allow_close or not self._unsaved():
            if self._built:
                self.test.runner.cancel()
            event.accept()
            super().closeEvent(event)
            return
        event.ignore()
        self.reject()
