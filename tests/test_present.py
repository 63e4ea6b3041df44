"""wizard.present: what both front ends show, computed once. The check's JSON report
(present.check_json, what `check --json` and `login --json` print), the window's
--result-json report (present.window_report), and the cleaning every printed text and
JSON string goes through."""

from __future__ import annotations

import json

from tests.helpers import CANARY_TOKEN
from wizard import credentials, present
from wizard.appconfig import DEFAULT, AppConfig
from wizard.check import CheckResult, Company, RateLimit, User
from wizard.hints import hint_for
from wizard.outcomes import Code

# DESIGN's check report: these keys, in this order, whatever happened.
CHECK_KEYS = [
    "ok", "code", "http_status", "email", "token_hint", "company", "fixes", "warnings",
    "problems", "hint", "elapsed_ms", "rate_limit", "user", "server_message",
]  # fmt: skip


def test_check_json_before_anything_was_read_is_the_empty_report() -> None:
    hint = hint_for(Code.NOT_CONFIGURED, "es")
    report = present.check_json(Code.NOT_CONFIGURED, hint, "es", profiles=["uno", "dos"])
    assert list(report) == [*CHECK_KEYS, "profiles"]
    assert report["ok"] is False and report["code"] == "not_configured"
    assert report["email"] == "" and report["token_hint"] == ""
    assert report["fixes"] == report["warnings"] == report["problems"] == []
    assert report["elapsed_ms"] == 0 and report["company"] is None and report["user"] is None
    assert report["hint"] == present.hint_json(hint) and report["hint"]["steps"]
    assert report["profiles"] == ["uno", "dos"]


def test_check_json_of_a_cleaned_paste_offline() -> None:
    cleaned = credentials.clean(" Ana@Empresa.CO ", f' "{CANARY_TOKEN}" \n')
    report = present.check_json(
        Code.FORMAT_OK, hint_for(Code.FORMAT_OK, "en"), "en", cleaned=cleaned, matches_stored=True
    )
    assert list(report) == [*CHECK_KEYS, "matches_stored"]
    assert report["ok"] is True and report["email"] == "Ana@empresa.co"
    assert report["token_hint"] == "…" + CANARY_TOKEN[-4:]
    assert {"field": "token", "fix": "removed_quotes"} in report["fixes"]
    assert report["matches_stored"] is True
    assert CANARY_TOKEN not in json.dumps(report)


def test_check_json_of_a_connected_check() -> None:
    cleaned = credentials.clean("ana@empresa.co", CANARY_TOKEN)
    result = CheckResult(
        Code.CONNECTED, 200,
        Company("Panadería La Espiga S.A.S.", "900123456", "colombia", "COP"),
        RateLimit(limit=150, remaining=149, reset_s=60), 123,
        user=User("Ana Pérez", "otra@empresa.co", "admin"),
        warnings=("user_email_differs",),
    )  # fmt: skip
    permissions = [{"resource": "invoices", "status": "allowed"}]
    report = present.check_json(
        Code.CONNECTED, None, "es", cleaned=cleaned, result=result, permissions=permissions
    )
    assert list(report) == [*CHECK_KEYS, "permissions"]
    assert report["ok"] is True and report["hint"] is None and report["http_status"] == 200
    assert report["company"] == {
        "name": "Panadería La Espiga S.A.S.", "identification": "900123456",
        "country": "colombia", "currency": "COP",
    }  # fmt: skip
    assert report["rate_limit"] == {"limit": 150, "remaining": 149, "reset_s": 60}
    assert report["elapsed_ms"] == 123 and report["user"]["name"] == "Ana Pérez"
    assert report["warnings"] == [{"field": "email", "warning": "user_email_differs"}]
    assert report["permissions"] == permissions


def test_check_json_of_a_failure_carries_its_hint_and_cleaned_detail() -> None:
    cleaned = credentials.clean("ana@empresa.co", CANARY_TOKEN)
    result = CheckResult(Code.UNAUTHORIZED, 401, None, None, 40, detail="\x1b[31mno\x1b[0m")
    hint = present.hint_for_result(result, "es")
    report = present.check_json(Code.UNAUTHORIZED, hint, "es", cleaned=cleaned, result=result)
    assert list(report) == [*CHECK_KEYS, "detail"]
    assert report["ok"] is False and report["code"] == "unauthorized"
    assert report["hint"] == present.hint_json(hint) and report["detail"] == "no"


def test_window_report_unbranded_and_branded() -> None:
    plain = present.window_report("cancelled", 19, test_mode=True, app=DEFAULT)
    assert plain == {
        "ok": False, "code": "cancelled", "saved": False, "verified": False, "profile": None,
        "company": None, "email": None, "token_hint": None, "test_mode": True,
    }  # fmt: skip
    product = AppConfig(id="facturador-pos", name="Facturador POS", needs=("bank_accounts",))
    branded = present.window_report(
        "connected", 0, saved=True, verified=True, profile_id="espiga",
        company=Company("Espiga\x07", None, None, None), email="ana@empresa.co",
        token_hint="…0123", app=product,
    )  # fmt: skip
    assert branded["ok"] is True and branded["profile"] == "espiga"
    assert branded["company"] == {"name": "Espiga", "identification": None, "country": None,
                                  "currency": None}  # fmt: skip
    assert branded["app"] == {"id": "facturador-pos", "name": "Facturador POS"}
    assert branded["needs_missing"] == [] and branded["needs_unchecked"] == []


def test_clean_text_and_block() -> None:
    assert present.clean_text("\x1b[31mRoja\x1b[0m\x07 \u202eS.A.S\u202c\r\nx") == "Roja S.A.S  x"
    assert present.clean_text("\x1b]0;title\x07ok") == "ok"
    assert present.mask_token("0123456789abcdef0123") == "…0123" and present.mask_token("") == ""
    assert present.clean_block("a\n\x1b[2Jb") == "a\nb"


def test_scrub_cleans_every_string_of_a_structure() -> None:
    from wizard.redact import register_secret

    register_secret(CANARY_TOKEN)
    data = {"a": [f"x {CANARY_TOKEN}", {"b": "\x1b[2Jc"}], "n": 3, "t": (None, "\u202ed")}
    assert present.scrub(data) == {
        "a": ["x …" + CANARY_TOKEN[-4:], {"b": "c"}], "n": 3, "t": [None, "d"]
    }  # fmt: skip


def test_hint_as_json_and_as_text() -> None:
    hint = hint_for(Code.UNAUTHORIZED, "es")
    assert present.hint_json(hint) == {
        "title": hint.title, "steps": list(hint.steps), "url": hint.url
    }  # fmt: skip
    assert present.hint_json(None) is None
    lines = present.hint_text(hint).splitlines()
    assert lines[0] == hint.title and lines[1] == f"  1. {hint.steps[0]}"


def test_check_json_carries_the_app_files_needs_when_they_were_checked() -> None:
    from wizard import probe
    from wizard.needs import Need, NeedsReport

    report = NeedsReport(
        (
            Need("invoices", probe.AVAILABLE, None),
            Need("bank_accounts", probe.NOT_IN_PLAN, "pagos"),
            Need("items", probe.SKIPPED, None),
        )
    )
    cleaned = credentials.clean("ana@empresa.co", CANARY_TOKEN)
    data = present.check_json(
        Code.NEEDS_UNMET, hint_for(Code.NEEDS_UNMET, "es"), "es", cleaned=cleaned, needs=report
    )
    assert list(data)[-2:] == ["needs_missing", "needs_unchecked"]
    assert [n["resource"] for n in data["needs_missing"]] == ["bank_accounts"]
    assert [n["resource"] for n in data["needs_unchecked"]] == ["items"]
    without = present.check_json(Code.CONNECTED, None, "es", cleaned=cleaned)
    assert "needs_missing" not in without and "needs_unchecked" not in without
