"""Re-checking saved connections («Revisar», «Revisar todas»): the tasks a worker thread
runs (the token is read from the keyring inside them and goes nowhere else) and what
their results say."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from wizard import present
from wizard.ui.context import WizardContext

if TYPE_CHECKING:
    from wizard.check import CheckResult
    from wizard.recheck import Report
    from wizard.store import Profile, Store

Task = Callable[[threading.Event], Any]


def recheck_one(store: Store, check: Any, profile_id: str, base_url: str) -> Task:
    """One connection, live; its last check is stored unless the user stopped it."""

    def task(cancel: threading.Event) -> CheckResult:
        creds = store.load(profile_id)  # the token stays inside this function
        result: CheckResult = check(creds.profile.email, creds.token, base_url, cancel)
        if not cancel.is_set():
            store.update_last_check(
                profile_id, result.code.value, user=result.user, rate_limit=result.rate_limit
            )
        return result

    return task


def recheck_every(store: Store, check: Any, base_url: str, profiles: list[Profile]) -> Task:
    """Every connection given, one after another (wizard.recheck's pace and 429 stop)."""

    def task(cancel: threading.Event) -> Report:
        from wizard.recheck import recheck_all

        def check_one(email: str, token: str, base: str | None, stop: object) -> CheckResult:
            result: CheckResult = check(email, token, base or base_url, stop)
            return result

        return recheck_all(store, check_one, cancel=cancel, profiles=profiles)

    return task


def connected_text(ctx: WizardContext, name: str, result: CheckResult) -> str:
    """«Panadería: funciona (Panadería La Espiga S.A.S., token de Ana Pérez)»: whose token
    it is, since a colleague's token is a common onboarding mistake."""
    company = present.clean_optional(result.company.name if result.company else None)
    user = present.clean_optional(result.user.name if result.user else None)
    key = "gui.connections.check_ok_user" if user else "gui.connections.check_ok"
    return ctx.t(key, name=name, company=company or name, user=user)


def checked_all_text(ctx: WizardContext, report: Report) -> str:
    """How many work, how many fail, and a 429's wait if the run stopped for one."""
    text = ctx.t(
        "gui.connections.check_all_done", total=len(report.rows), working=report.working,
        failing=report.failing,
    )  # fmt: skip
    if report.wait_s is not None:
        from wizard.hints import wait_words

        text += " " + ctx.t(
            "gui.connections.check_all_wait", wait=wait_words(report.wait_s, ctx.lang)
        )
    return text
