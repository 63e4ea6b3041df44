"""The list of saved connections on page one: a list that shows whole rows (two when
there is room, one on a 1280×720 laptop), each connection's lines in words (name,
company · email · token «…1234», the last check and how it went), and a failed
re-check's hint."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, QLocale, QSize, QTimeZone
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QListWidget, QWidget

from wizard import hints, present
from wizard.outcomes import Code
from wizard.ui.base import hint_body_html
from wizard.ui.context import WizardContext

if TYPE_CHECKING:
    from wizard.check import CheckResult
    from wizard.store import Profile


MAX_VISIBLE_ROWS = 2  # more scroll inside the list: page one must fit a 1280×720 laptop


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
