"""What every page has: one template (mode strip, header, body, footer), and texts
that follow the language.

Pages declare their texts once with `bind(setter, key)`; a language change on the
first page re-runs every binding, so no page keeps a hard-coded string.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from wizard.ui import pages, style
from wizard.ui.context import WizardContext

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLineEdit, QToolButton

    from wizard.hints import Hint
    from wizard.present import CompanyView

# Qt classes page one does not use are imported where they are used (FitBrowser has its
# own module): PySide builds a class's enums when Python first touches the class, ~0.3-1
# ms each, all before the first paint if it happens at import time.


def __getattr__(name: str) -> str:
    """The shared style sheets, built when a page module imports them (after the theme
    is set, so they match the palette)."""
    sheets = {
        "WARNING_STYLE": style.warning_sheet,
        "PRIMARY_STYLE": style.primary_sheet,
        "BANNER_STYLE": style.banner_sheet,
    }
    if name in sheets:
        return sheets[name]()
    raise AttributeError(name)


TONES = style.TONES


def tone_colour(kind: str) -> str:
    """The `kind` colour suited to the current palette (light or dark)."""
    return style.colour(kind)


def tone(kind: str, *, bold: bool = False) -> str:
    """A label style sheet in the `kind` colour suited to the current palette."""
    weight = " font-weight: bold;" if bold else ""
    return f"QLabel {{ color: {style.colour(kind)};{weight} }}"


def make_label(
    parent: QWidget,
    *,
    name: str | None = None,
    selectable: bool = False,
    wrap: bool = True,
    catalog_only: bool = False,
) -> QLabel:
    """A plain-text label (never rich text: nothing a user pasted can inject markup).

    catalog_only: the label only ever shows our own catalog's texts, so it may keep
    Qt's AutoText. Page one's labels use it: the first use of `QtCore.Qt` makes PySide
    build every enum of the Qt namespace (~15 ms), which would delay the first paint
    (hence `QtCore.Qt` looked up here, not imported at the top). A test checks
    that no such label's text looks like rich text, in any language.
    """
    label = QLabel(parent)
    label.setWordWrap(wrap)
    if not catalog_only:
        label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    if name:
        label.setObjectName(name)
    if selectable:
        label.setTextInteractionFlags(
            QtCore.Qt.TextInteractionFlag.TextSelectableByMouse
            | QtCore.Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
    return label


class BasePage(QWizardPage):
    """Every page's template: the mode strip (test mode, support mode), our own header
    («Paso N de 9» above the page's title, its name in the step list too), then the
    scrolled body and the footer, with one set of margins, so nothing moves on Next.

    The title and subtitle live in our own labels: `setTitle`/`title` and
    `setSubTitle`/`subTitle` are ours, so QWizard (which reads its C++ title) never
    draws its header band."""

    subtitle_key = ""
    own_main_action = False  # a button of the page's own is filled, not the wizard's Next

    def __init__(self, ctx: WizardContext, object_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(object_name)
        self.spec = pages.by_name(object_name)
        self.title_key = self.spec.title
        self._bindings: list[
            tuple[Callable[[str], object], str, Callable[[], dict[str, object]]]
        ] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        # One slim strip, edge to edge, for test mode and support mode.
        self.banner = make_label(self, name="sandboxBanner", catalog_only=True)
        self.banner.setStyleSheet(style.banner_sheet())
        outer.addWidget(self.banner)
        m = style.PAGE_MARGIN
        self.header = header = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        header.setContentsMargins(m, style.M, m, style.S)
        header.setSpacing(0)
        self.compact = False
        first = object_name == "welcomePage"  # before the first paint (see make_label)
        self.step_label = make_label(self, name="stepLabel", catalog_only=first, wrap=False)
        self.step_label.setStyleSheet(style.step_label_sheet())
        self.title_label = make_label(self, name="pageTitle", catalog_only=first)
        self.title_label.setFont(style.font(self.font(), "title"))
        header.addWidget(self.step_label)
        header.addWidget(self.title_label, 1)
        outer.addLayout(header)
        # The page body scrolls: on a 1280x720 laptop, at 2x scale or with a long
        # answer, everything stays reachable and nothing is squeezed over anything else.
        self.page_scroll = QScrollArea(self)
        self.page_scroll.setObjectName("pageScroll")
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setFrameShape(QFrame.Shape.NoFrame)
        if object_name != "welcomePage":  # page one: after the first paint (see make_label)
            self.settle_focus()
        self.content = QWidget(self.page_scroll)
        self.content.setObjectName("pageBody")
        self.body = QVBoxLayout(self.content)
        self.body.setContentsMargins(m, style.XS, m, m)
        self.body.setSpacing(style.S)
        self.page_scroll.setWidget(self.content)
        self.content.setAutoFillBackground(False)
        self.subtitle_label = make_label(self, name="pageSubtitle", catalog_only=first)
        self.subtitle_label.hide()
        self.body.addWidget(self.subtitle_label)
        outer.addWidget(self.page_scroll, 1)
        # A page's own action buttons (Probar de nuevo, Diagnóstico…) stay in view below
        # the scrolled body, beside where the wizard's Next/Back are.
        self.footer = QVBoxLayout()
        self.footer.setContentsMargins(m, 0, m, style.S)
        outer.addLayout(self.footer)
        self.bind(self.step_label.setText, "gui.step", self._step_numbers)
        self.bind(self.setTitle, self.title_key)
        if self.subtitle_key:
            self.bind(self.setSubTitle, self.subtitle_key)
        self._show_modes()
        ctx.languageChanged.connect(self.retranslate)
        ctx.countryChanged.connect(self.retranslate)  # its own words («computador»…)
        ctx.demoChanged.connect(self._show_modes)
        ctx.supportChanged.connect(self._show_modes)

    def set_compact(self, on: bool) -> None:
        """A low window (under style.COMPACT_BELOW_HEIGHT): «Paso N de 9» beside a smaller
        title, so the page keeps its room for the picture or the answer."""
        if on == self.compact:
            return
        self.compact = on
        self.header.setDirection(
            QBoxLayout.Direction.LeftToRight if on else QBoxLayout.Direction.TopToBottom
        )
        self.header.setSpacing(style.M if on else 0)
        self.header.setContentsMargins(
            style.PAGE_MARGIN, style.XS if on else style.M, style.PAGE_MARGIN, style.XS
        )
        self.title_label.setFont(style.font(self.font(), "heading" if on else "title"))

    def _step_numbers(self) -> dict[str, object]:
        return {"n": pages.number(self.objectName()), "total": len(pages.PAGES)}

    def setTitle(self, title: str) -> None:
        self.title_label.setText(title)
        self.title_label.setAccessibleName(title)

    def title(self) -> str:
        return self.title_label.text()

    def setSubTitle(self, subtitle: str) -> None:
        self.subtitle_label.setText(subtitle)
        self.subtitle_label.setVisible(bool(subtitle))

    def subTitle(self) -> str:
        return self.subtitle_label.text()

    def _show_modes(self, *_: object) -> None:
        """The strip names the modes that are on, in one short line (a 400-px-high window
        keeps its room for the page); the whole sentences are its tooltip and, for a
        screen reader, its description."""
        demo, support = self.ctx.demo, self.ctx.support
        t = self.ctx.t
        if demo and support:
            text = t("gui.banner_both")
        else:
            text = t("gui.banner_support") if support else t("gui.banner")
        more = [t("gui.banner_more")] if demo else []
        more += [t("gui.banner_support_more")] if support else []
        self.banner.setText(text)
        self.banner.setToolTip("\n".join(more))
        self.banner.setAccessibleDescription(" ".join(more))
        self.banner.setVisible(demo or support)

    def settle_focus(self) -> None:
        """What can wait until after the first paint on page one. The scroll area is not
        a Tab stop itself (it scrolls to whichever field gets the focus)."""
        self.page_scroll.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        # The scroll area scrolls to a field only when Tab moves between its own fields:
        # not when the focus comes in from the buttons below it (Shift+Tab from «Probar
        # de nuevo») nor when the page sets it. Follow every focus change into the body.
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._follow_focus)
        # The page's own background shows through (viewport(): its first call makes
        # PySide build QtWidgets' enums, ~15 ms, hence not before the first paint).
        self.page_scroll.viewport().setAutoFillBackground(False)

    def _follow_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self.content.isAncestorOf(new):
            self.page_scroll.ensureWidgetVisible(new)

    def bind(
        self,
        setter: Callable[[str], object],
        key: str,
        fmt: Callable[[], dict[str, object]] | None = None,
    ) -> None:
        """Set a text now and again on every language change."""
        fmt = fmt or dict
        self._bindings.append((setter, key, fmt))
        setter(self.ctx.t(key, **fmt()))

    def retranslate(self, *_: object) -> None:
        for setter, key, fmt in self._bindings:
            setter(self.ctx.t(key, **fmt()))
        self._show_modes()
        self.on_language_changed()

    def on_language_changed(self) -> None:
        """Pages with texts built from state (results, summaries) refresh them here."""


class ResultCard(QFrame):
    """The one look of an outcome: a rounded, palette-aware card with a large icon beside
    a title, a big name (the company) and detail lines. The test page's result and the
    done page's «Conexión guardada» are both this card; pages add their own rows to
    `rows` below the head."""

    def __init__(
        self, ctx: WizardContext, parent: QWidget, *, name: str, parts: tuple[str, str, str, str]
    ) -> None:
        """parts: the object names of the icon, title, name and details labels."""
        from PySide6.QtWidgets import QHBoxLayout

        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(name)
        icon, title, big, details = parts
        self.icon = make_label(self, name=icon, wrap=False)
        self.title = make_label(self, name=title)
        self.name = make_label(self, name=big, selectable=True)
        self.details = make_label(self, name=details, selectable=True)
        for label, role, bold in (  # the one type scale (style.TYPE_SCALE)
            (self.icon, "title", True), (self.title, "lead", False),
            (self.name, "heading", True), (self.details, "body", False),
        ):  # fmt: skip
            label.setFont(style.font(label.font(), role, bold=bold))
        align = QtCore.Qt.AlignmentFlag
        self.icon.setAlignment(align.AlignTop | align.AlignHCenter)
        self.rows = QVBoxLayout(self)
        self.rows.setContentsMargins(style.L, style.M, style.L, style.M)
        self.rows.setSpacing(style.S)
        head = QHBoxLayout()
        head.setSpacing(style.M)
        head.addWidget(self.icon)
        titles = QVBoxLayout()
        titles.setSpacing(style.XS)
        for label in (self.title, self.name, self.details):
            titles.addWidget(label)
        head.addLayout(titles, 1)
        self.rows.addLayout(head)

    def set_tone(self, kind: str, icon: str) -> None:
        """The card's tone (ok, error, warn, info) and its icon ("" for none), named in
        words for a screen reader, not «exclamation mark»."""
        style.restyle(self, style.card_sheet(self.objectName()))  # again if the theme changed
        if self.property("tone") != kind:
            self.setProperty("tone", kind)
            self.style().unpolish(self)  # the frame alone: what it holds keeps its polish
            self.style().polish(self)
        self.icon.setText(icon)
        style.restyle(self.icon, tone(style.CARD_TEXT[kind]))
        self.icon.setVisible(bool(icon))
        if icon:
            self.icon.setAccessibleName(self.ctx.t(f"gui.a11y.icon_{kind}"))


def disclosure(
    page: BasePage, name: str, key: str, on_toggle: Callable[[bool], None]
) -> QToolButton:
    """A «▸ ¿No la encuentras?» / «▸ Para programadores» button: checkable, its arrow
    pointing down while open; on_toggle(open) shows or hides what it discloses."""
    from PySide6.QtWidgets import QToolButton  # after the first paint (see the top)

    arrow = QtCore.Qt.ArrowType
    button = QToolButton(page)
    button.setObjectName(name)
    button.setProperty("disclosure", True)  # the window's sheet rings its focus
    button.setCheckable(True)
    button.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    button.setArrowType(arrow.RightArrow)
    page.bind(button.setText, key)

    def toggled(shown: bool) -> None:
        button.setArrowType(arrow.DownArrow if shown else arrow.RightArrow)
        on_toggle(shown)

    button.toggled.connect(toggled)
    return button


def company_lines(ctx: WizardContext, view: CompanyView | None) -> str:
    """The lines under a company's name on a result card: its tax id in the country's
    word (NIT, RFC…) and its country."""
    lines = []
    if view is not None and view.identification:
        lines.append(
            ctx.t("gui.test.identification", label=view.id_label, value=view.identification)
        )
    if view is not None and view.country:
        lines.append(ctx.t("gui.test.country", value=view.country))
    return "\n".join(lines)


def announce(widget: QWidget, text: str, *, assertive: bool = False) -> None:
    """Have a screen reader say `text` now (an AT-SPI announcement, Qt 6.8+), as a live
    region would: the result of a test, what a paste changed. Nothing to do when no
    assistive technology is listening."""
    from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

    if not text or not QAccessible.isActive():
        return
    event = QAccessibleAnnouncementEvent(widget, text)
    if assertive:
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    QAccessible.updateAccessibility(event)


def name_clear_button(edit: QLineEdit, name: str) -> None:
    """The ✕ a QLineEdit draws with setClearButtonEnabled is a tool button of its own:
    without a name, a screen reader says only «button»."""
    from PySide6.QtWidgets import QToolButton

    for button in edit.findChildren(QToolButton):
        button.setAccessibleName(name)


def hint_body_html(ctx: WizardContext, hint: Hint, detail: str) -> str:
    """A hint's causes, numbered steps, link and the technical detail, as rich text: the
    test page's failure card and the saved connections' re-check show the same."""
    import html

    from wizard import present  # after the first paint: page one shows no hint

    parts = []
    if hint.causes:
        parts.append(f"<p><b>{html.escape(ctx.t('gui.test.causes'))}</b></p><ul>")
        parts += [f"<li>{html.escape(c)}</li>" for c in hint.causes]
        parts.append("</ul>")
    if hint.steps:
        parts.append(f"<p><b>{html.escape(ctx.t('gui.test.steps'))}</b></p><ol>")
        parts += [f"<li>{html.escape(s)}</li>" for s in hint.steps]
        parts.append("</ol>")
    if hint.url:
        url = html.escape(hint.url, quote=True)
        more = html.escape(ctx.t("gui.test.more"))
        parts.append(f'<p>{more}: <a href="{url}">{url}</a></p>')
    detail = present.clean_text(detail)
    if detail:
        text = html.escape(ctx.t("gui.test.detail", detail=detail))
        parts.append(f'<p style="font-size:small">{text}</p>')
    from wizard.appconfig import support_line  # the app file's contact, on every failure

    support = support_line(ctx.app, ctx.lang)
    if support:
        parts.append(f"<p><b>{html.escape(support)}</b></p>")
    return "".join(parts)
