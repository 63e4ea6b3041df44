"""The permission and plan probe: every row against the sandbox and a local server."""

from __future__ import annotations

import itertools
import threading
import time

import pytest
from pytest_httpserver import HTTPServer

from tests.helpers import CANARY_TOKEN
from wizard import hints, probe
from wizard.probe import (
    AVAILABLE,
    ERROR,
    NO_PERMISSION,
    NOT_CHECKED,
    NOT_IN_PLAN,
    PROBED,
    SKIPPED,
    probe_permissions,
)
from wizard.sandbox import DEMO_TOKEN

CORE = {p.key for p in PROBED if p.path and not p.gated}
GATED = {p.key for p in PROBED if p.path and p.gated}
UNPROBEABLE = {p.key for p in PROBED if p.path is None}


def statuses(result: probe.ProbeResult) -> dict[str, str]:
    return {row.key: row.status for row in result.rows}


def test_the_table_matches_what_is_known() -> None:
    """Confirmed paths only (shared/ALEGRA_API.md); the rest stay "not checked"."""
    assert {"contacts", "invoices", "bills", "items", "taxes", "categories", "cost_centers"} == CORE
    assert {"journals", "bank_accounts"} == GATED
    assert {"attachments", "payment_methods", "fixed_assets"} == UNPROBEABLE
    for item in PROBED:  # every row has its names in both languages
        for lang in ("es", "en"):
            assert hints.i18n.t(f"probe.resource.{item.key}", lang)


def test_full_plan_against_the_sandbox(sandbox) -> None:  # type: ignore[no-untyped-def]
    result = probe_permissions("demo@alegra.test", DEMO_TOKEN, sandbox.url, pace_s=0)
    assert statuses(result) == {
        **dict.fromkeys(CORE | GATED, AVAILABLE),
        **dict.fromkeys(UNPROBEABLE, NOT_CHECKED),
    }
    assert not result.rate_limited and not result.cancelled
    seen = [path for method, path, _ in sandbox.requests_seen if "journals" in path]
    assert seen, "the probe must really ask the server"


def test_basic_plan_lacks_exactly_the_gated_resources(sandbox) -> None:  # type: ignore[no-untyped-def]
    result = probe_permissions("basico@alegra.test", DEMO_TOKEN, sandbox.url, pace_s=0)
    got = statuses(result)
    assert {k for k, v in got.items() if v == NOT_IN_PLAN} == GATED
    assert {k for k, v in got.items() if v == AVAILABLE} == CORE
    advice = hints.probe_advice(result, "es")
    assert any("plan" in line for line in advice)
    text = hints.probe_as_text(result, "en")
    assert "Journal entries" in text and "your plan does not include this" in text


def test_each_answer_maps_to_its_row(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/contacts").respond_with_data("{}", status=403)
    httpserver.expect_request("/api/v1/invoices").respond_with_data("<html>", status=500)
    httpserver.expect_request("/api/v1/journals").respond_with_data("{}", status=403)
    httpserver.expect_request("/api/v1/bank-accounts").respond_with_data("[]", status=200)
    httpserver.expect_request("/api/v1/items").respond_with_data("{}", status=404)
    for path in ("bills", "taxes", "categories", "cost-centers"):
        httpserver.expect_request(f"/api/v1/{path}").respond_with_data("[]", status=200)
    result = probe_permissions("a@b.co", CANARY_TOKEN, httpserver.url_for("/api/v1"), pace_s=0)
    got = statuses(result)
    assert got["contacts"] == NO_PERMISSION  # core + 403: the user's permissions
    assert got["journals"] == NOT_IN_PLAN  # gated + 403: the plan
    assert got["invoices"] == ERROR and got["items"] == ERROR
    assert got["bank_accounts"] == AVAILABLE
    for request, _ in httpserver.log:  # read-only, one line each
        assert request.method == "GET" and request.args.get("limit") == "1"
    advice = " ".join(hints.probe_advice(result, "es"))
    assert "permiso" in advice and "plan" in advice and "más tarde" in advice


def test_a_429_stops_the_probe_and_says_when_to_retry(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/contacts").respond_with_data("[]", status=200)
    httpserver.expect_request("/api/v1/invoices").respond_with_data(
        "{}", status=429, headers={"X-Rate-Limit-Reset": "42", "X-Rate-Limit-Remaining": "0"}
    )
    result = probe_permissions("a@b.co", CANARY_TOKEN, httpserver.url_for("/api/v1"), pace_s=0)
    got = statuses(result)
    assert got["contacts"] == AVAILABLE and got["invoices"] == SKIPPED
    assert all(got[k] == SKIPPED for k in (CORE | GATED) - {"contacts", "invoices"})
    assert result.rate_limited and result.reset_s == 42
    assert len(httpserver.log) == 2, "nothing more is sent after a 429"
    assert "42" in " ".join(hints.probe_advice(result, "es"))


def test_a_nearly_spent_limit_stops_before_the_429(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/contacts").respond_with_data(
        "[]", headers={"X-Rate-Limit-Remaining": "3", "X-Rate-Limit-Reset": "9"}
    )
    result = probe_permissions("a@b.co", CANARY_TOKEN, httpserver.url_for("/api/v1"), pace_s=0)
    assert statuses(result)["invoices"] == SKIPPED and result.rate_limited
    assert len(httpserver.log) == 1


def test_calls_are_spread_out(httpserver: HTTPServer) -> None:
    stamps: list[float] = []

    def handler(request):  # type: ignore[no-untyped-def]
        from werkzeug import Response

        stamps.append(time.monotonic())
        return Response("[]", status=200)

    for item in PROBED:
        if item.path:
            httpserver.expect_request(f"/api/v1{item.path}").respond_with_handler(handler)
    probe_permissions("a@b.co", CANARY_TOKEN, httpserver.url_for("/api/v1"), pace_s=0.1)
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert len(stamps) == len(CORE | GATED)
    assert min(gaps) >= 0.09


def test_cancel_stops_between_calls(httpserver: HTTPServer) -> None:
    for item in PROBED:
        if item.path:
            httpserver.expect_request(f"/api/v1{item.path}").respond_with_data("[]")
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    result = probe_permissions(
        "a@b.co", CANARY_TOKEN, httpserver.url_for("/api/v1"), cancel=cancel, pace_s=0.5
    )
    assert time.monotonic() - started < 1.0
    assert result.cancelled and SKIPPED in statuses(result).values()


def test_insecure_base_url_sends_nothing() -> None:
    result = probe_permissions("a@b.co", CANARY_TOKEN, "http://example.com/api/v1", pace_s=0)
    assert set(statuses(result).values()) == {ERROR}


@pytest.mark.parametrize("email", ["demo@alegra.test", "basico@alegra.test"])
def test_cli_probe_json_and_text(run_cli, sandbox, email: str) -> None:  # type: ignore[no-untyped-def]
    args = ("check", "--probe", "--email", email, "--token-stdin", "--base-url", sandbox.url)
    out = run_cli(*args, "--json", stdin=DEMO_TOKEN + "\n")
    assert out.returncode == 0, out.stderr
    rows = {row["resource"]: row for row in out.json["permissions"]}
    assert set(rows) == {p.key for p in PROBED}
    gated_status = NOT_IN_PLAN if email.startswith("basico") else AVAILABLE
    assert {rows[k]["status"] for k in GATED} == {gated_status}
    assert rows["journals"]["http_status"] == (403 if gated_status == NOT_IN_PLAN else 200)
    human = run_cli(*args, "--lang", "es", stdin=DEMO_TOKEN + "\n")
    assert "Comprobantes contables" in human.stdout and "NIT 900123456-7" in human.stdout
    for output in (out.stdout, out.stderr, human.stdout, human.stderr):
        assert DEMO_TOKEN not in output


def test_cli_probe_is_not_run_when_the_check_fails(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    out = run_cli(
        "check", "--probe", "--json", "--email", "nadie@alegra.test", "--token-stdin",
        "--base-url", sandbox.url, stdin=CANARY_TOKEN,
    )  # fmt: skip
    assert out.json["code"] == "unauthorized" and "permissions" not in out.json
