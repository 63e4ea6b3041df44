"""`check --all`: every stored profile re-checked live (wizard.recheck), one line each
(name, company, connected or what is wrong, the fix) and a summary; exit 0 when all are
connected, else the exit code of the first that is not. For a support agent with many
customers, as `gh auth status` is."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from wizard import present
from wizard.cli.options import Context
from wizard.cli.render import Io, msg
from wizard.hints import hint_for
from wizard.outcomes import EXIT_USAGE, Code, exit_code

if TYPE_CHECKING:
    from wizard.check import CheckResult
    from wizard.recheck import Report, Row

# What --all can't be combined with: it checks each profile's own stored credentials.
EXCLUSIVE = ("profile", "email", "token_stdin", "offline", "probe", "base_url", "ca_bundle")

# Codes whose fix is a command the agent can run (catalog cli.check_all.fix.<key>); the
# others' fix is their hint's first step.
COMMAND_FIXES = {
    "unauthorized": "new_token",
    "forbidden": "other_user",
    "missing_secret": "new_token",
}


def run_check_all(args: argparse.Namespace, io: Io, ctx: Context) -> int:
    clash = next((name for name in EXCLUSIVE if getattr(args, name, None)), None)
    if clash is not None:
        option = "--" + clash.replace("_", "-")
        message = msg("check_all.exclusive", io.lang, option=option)
        if ctx.parsers is not None:
            ctx.parsers.by_name["check"].usage_error(message)
        io.err(message)
        return EXIT_USAGE
    if not ctx.store.list_profiles():
        from wizard.cli.render import fail

        return fail(io, Code.NOT_CONFIGURED, msg("status_none", io.lang))
    from wizard.recheck import recheck_all

    def on_row(row: Row) -> None:  # line by line: each check takes a moment
        if not io.json:
            io.out(row_line(row, io.lang))

    report = recheck_all(ctx.store, _checker(args.timeout), on_row=on_row)
    if io.json:
        io.emit_json(report_json(report, io.lang))
    else:
        for row in report.rows:
            if row.code is None:
                io.out(row_line(row, io.lang))
        io.out(summary_line(report, io.lang))
    failed = report.first_failure
    if failed is None:
        return 0
    return exit_code(failed.code or Code.RATE_LIMITED)  # unchecked: Alegra asked to wait


def _checker(timeout: float | None) -> Any:
    from wizard import check

    seconds = present.DEFAULT_TIMEOUT_S if timeout is None else timeout

    def check_one(email: str, token: str, base_url: str | None, cancel: Any) -> CheckResult:
        from wizard.request import DEFAULT_BASE_URL

        return check.check_connection(email, token, base_url or DEFAULT_BASE_URL, seconds)

    return check_one


def _company(row: Row) -> str | None:
    result = row.result
    if result is not None and result.company is not None and result.company.name:
        return present.clean_text(result.company.name)
    return present.clean_optional(row.profile.company)


def fix_text(row: Row, lang: str) -> str:
    """What to do about a profile that is not connected, in one sentence."""
    reason = row.storage_reason
    key = COMMAND_FIXES.get(str(reason if row.code is Code.STORAGE_ERROR else row.code))
    if key is not None:
        return msg(f"check_all.fix.{key}", lang, profile=row.profile.id)
    if row.code is Code.STORAGE_ERROR:
        hint = present.storage_texts(reason, lang)
    else:
        assert row.result is not None and row.code is not None
        hint = present.hint_for_result(row.result, lang) or hint_for(row.code, lang)
    return hint.steps[0] if hint.steps else hint.title


def problem_text(row: Row, lang: str) -> str:
    if row.code is Code.STORAGE_ERROR:
        return present.storage_texts(row.storage_reason, lang).title
    assert row.result is not None
    hint = present.hint_for_result(row.result, lang)
    return hint.title if hint is not None else ""


def row_line(row: Row, lang: str) -> str:
    """«✔ Panadería La Espiga · Panadería La Espiga S.A.S.: conectada.», or what is wrong
    and the fix."""
    name = present.clean_text(row.profile.name or row.profile.id)
    company = _company(row) or msg("check_all.no_company", lang)
    if row.code is Code.CONNECTED:
        return msg("check_all.connected", lang, name=name, company=company)
    if row.code is None:
        return msg("check_all.not_checked", lang, name=name, company=company)
    return msg(
        "check_all.failed", lang, name=name, company=company,
        problem=problem_text(row, lang).rstrip("."), fix=fix_text(row, lang),
    )  # fmt: skip


def summary_line(report: Report, lang: str) -> str:
    line = msg(
        "check_all.summary", lang, total=len(report.rows), working=report.working,
        failing=report.failing,
    )  # fmt: skip
    if report.wait_s is not None:
        from datetime import datetime, timedelta

        at = (datetime.now() + timedelta(seconds=report.wait_s)).strftime("%H:%M:%S")
        from wizard.hints import wait_words

        line += " " + msg(
            "check_all.stopped", lang, unchecked=report.unchecked,
            wait=wait_words(report.wait_s, lang), at=at,
        )  # fmt: skip
    return line


def report_json(report: Report, lang: str) -> dict[str, Any]:
    """{"ok", "profiles": [{id, name, code, company, user, hint, ...}], "wait_s"}."""
    return {
        "ok": report.ok,
        "profiles": [_row_json(row, lang) for row in report.rows],
        "wait_s": report.wait_s,
    }


def _row_json(row: Row, lang: str) -> dict[str, Any]:
    result = row.result
    company = present.company_json(result.company) if result is not None else None
    if company is None and row.profile.company:
        company = {
            "name": present.clean_text(row.profile.company),
            "identification": present.clean_optional(row.profile.identification),
            "country": None,
            "currency": None,
        }
    code = row.code
    hint = None
    if code is Code.STORAGE_ERROR:
        hint = present.storage_texts(row.storage_reason, lang)
    elif result is not None:
        hint = present.hint_for_result(result, lang)
    return {
        "id": row.profile.id,
        "name": row.profile.name,
        "email": row.profile.email,
        "code": code.value if code is not None else None,
        "checked": code is not None,
        "company": company,
        "user": present.user_json(result.user, lang) if result is not None else None,
        "hint": present.hint_json(hint),
        "fix": fix_text(row, lang) if code not in (None, Code.CONNECTED) else None,
        "http_status": result.http_status if result is not None else None,
        "server_message": present.server_message(result) if result is not None else None,
        "rate_limit": present.rate_limit_json(result) if result is not None else None,
        "storage_reason": row.storage_reason,
    }
