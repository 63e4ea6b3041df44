"""The app file's [needs], checked against a real sandbox and a local server: only the needed
resources are asked for, a known-missing one is needs_unmet with why, and one that can't be
checked is said honestly and never blocks."""

from __future__ import annotations

import itertools
import time

from pytest_httpserver import HTTPServer

from tests.helpers import CANARY_TOKEN, ROOT
from wizard import needs, probe
from wizard.appconfig import AppConfig, read
from wizard.outcomes import EXIT_CODES, Code
from wizard.sandbox import DEMO_TOKEN

SAMPLE = read(ROOT / "resources" / "samples" / "facturador-pos" / "alegra-wizard.toml")


def app_needing(*resources: str, **why: str) -> AppConfig:
    return AppConfig(id="pos", name="Facturador POS", needs=resources, why=why)


def test_needs_unmet_is_exit_20() -> None:
    assert EXIT_CODES[Code.NEEDS_UNMET] == 20


def test_an_app_without_needs_probes_nothing(sandbox) -> None:  # type: ignore[no-untyped-def]
    seen = len(sandbox.requests_seen)
    assert needs.check_needs(AppConfig(), "demo@alegra.test", DEMO_TOKEN, sandbox.url, 5) is None
    assert len(sandbox.requests_seen) == seen


def test_a_full_plan_meets_the_needs_and_only_they_are_asked(sandbox) -> None:  # type: ignore[no-untyped-def]
    before = len(sandbox.requests_seen)
    report = needs.check_needs(SAMPLE, "demo@alegra.test", DEMO_TOKEN, sandbox.url, 5, pace_s=0)
    assert report is not None and report.code is Code.CONNECTED
    assert [n.status for n in report.needs] == [probe.AVAILABLE] * 3
    asked = [path.split("?")[0] for _, path, _ in sandbox.requests_seen[before:]]
    assert asked == ["/api/v1/invoices", "/api/v1/contacts", "/api/v1/bank-accounts"]
    lines = needs.summary_lines(SAMPLE, report, "es")
    assert lines == ["Tu cuenta tiene lo que Facturador POS necesita: Facturas, Contactos, Bancos."]


def test_a_basic_plan_lacks_banks_and_says_why(sandbox) -> None:  # type: ignore[no-untyped-def]
    report = needs.check_needs(SAMPLE, "basico@alegra.test", DEMO_TOKEN, sandbox.url, 5, pace_s=0)
    assert report is not None and report.code is Code.NEEDS_UNMET
    assert report.missing_json() == [
        {"resource": "bank_accounts", "status": "not_in_plan", "why": "para conciliar los pagos"}
    ]
    assert report.unchecked == ()
    assert needs.missing_lines(SAMPLE, report, "es") == [
        "Tu plan no incluye Bancos, que Facturador POS usa para conciliar los pagos."
    ]
    assert needs.missing_lines(SAMPLE, report, "en") == [
        "Your plan doesn't include Banks, which Facturador POS uses para conciliar los pagos."
    ]


def test_a_role_without_permission_is_missing_too(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/contacts").respond_with_data("{}", status=403)
    httpserver.expect_request("/api/v1/invoices").respond_with_data("[]", status=200)
    app = app_needing("invoices", "contacts")
    report = needs.check_needs(
        app, "a@b.co", CANARY_TOKEN, httpserver.url_for("/api/v1"), 5, pace_s=0
    )
    assert report is not None and report.code is Code.NEEDS_UNMET
    assert [n.resource for n in report.missing] == ["contacts"]
    assert needs.missing_lines(app, report, "es") == [
        "Tu usuario no tiene permiso para Contactos, que Facturador POS necesita."
    ]
    assert len(httpserver.log) == 2  # only the needs, nothing of the rest of the table


def test_what_cant_be_checked_never_blocks(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/invoices").respond_with_data("<html>", status=500)
    app = app_needing("attachments", "invoices")
    report = needs.check_needs(
        app, "a@b.co", CANARY_TOKEN, httpserver.url_for("/api/v1"), 5, pace_s=0
    )
    assert report is not None and report.code is Code.CONNECTED
    assert [(n.resource, n.status) for n in report.unchecked] == [
        ("attachments", probe.NOT_CHECKED),
        ("invoices", probe.ERROR),
    ]
    assert needs.summary_lines(app, report, "es") == [
        "Adjuntos: no se pudo revisar (no impide seguir).",
        "Facturas: no se pudo revisar (no impide seguir).",
    ]


def test_a_429_pauses_the_rest_unchecked_not_missing(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/invoices").respond_with_data(
        "{}", status=429, headers={"X-Rate-Limit-Reset": "30", "X-Rate-Limit-Remaining": "0"}
    )
    app = app_needing("invoices", "bank_accounts")
    report = needs.check_needs(
        app, "a@b.co", CANARY_TOKEN, httpserver.url_for("/api/v1"), 5, pace_s=0
    )
    assert report is not None and report.code is Code.CONNECTED
    assert [n.status for n in report.needs] == [probe.SKIPPED, probe.SKIPPED]
    assert report.rate_limited and report.reset_s == 30
    assert len(httpserver.log) == 1, "nothing more is sent after a 429"


def test_needed_calls_are_paced_like_the_probe(httpserver: HTTPServer) -> None:
    stamps: list[float] = []

    def handler(request):  # type: ignore[no-untyped-def]
        from werkzeug import Response

        stamps.append(time.monotonic())
        return Response("[]", status=200)

    for path in ("invoices", "contacts", "bank-accounts"):
        httpserver.expect_request(f"/api/v1/{path}").respond_with_handler(handler)
    needs.check_needs(SAMPLE, "a@b.co", CANARY_TOKEN, httpserver.url_for("/api/v1"), 5, pace_s=0.1)
    assert len(stamps) == 3
    assert min(b - a for a, b in itertools.pairwise(stamps)) >= 0.09


def test_the_welcome_line_names_the_needs_up_front() -> None:
    assert needs.up_front(SAMPLE, "es") == "Facturador POS necesitará: Facturas, Contactos, Bancos."
    assert needs.up_front(SAMPLE, "en") == "Facturador POS will need: Invoices, Contacts, Banks."
    assert needs.up_front(AppConfig(), "es") is None
