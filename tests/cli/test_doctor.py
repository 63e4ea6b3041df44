"""`doctor` from the command line: its JSON and its verdict (wizard/cli/doctor.py)."""

from __future__ import annotations

from wizard import i18n


def test_doctor_json_with_an_insecure_url_is_one_json_object(script) -> None:  # type: ignore[no-untyped-def]
    result = script("doctor", "--json", "--base-url", "http://evil.example/api/v1")
    assert result.returncode == 3
    data = result.json
    assert data["ok"] is False and data["code"] == "invalid_input" and data["hint"]["title"]


def test_doctor_offline_never_says_all_is_in_order(script) -> None:  # type: ignore[no-untyped-def]
    """--offline skips the network items: the verdict says so, as the window's does. The
    test run has what the offline items need (a Secret Service, a config folder): exit 0."""
    for lang, all_ok, skipped in (
        ("es", "Todo lo necesario está en orden", "no se revisaron"),
        ("en", "Everything needed is in order", "were not checked"),
    ):
        result = script("doctor", "--offline", "--lang", lang)
        assert result.returncode == 0, result.stdout + result.stderr
        assert all_ok not in result.stdout, result.stdout
        assert skipped in result.stdout, result.stdout


def test_doctor_offline_with_a_problem_says_so(script) -> None:  # type: ignore[no-untyped-def]
    """Exit 18: the verdict names the problems, never «todo en orden» nor only «skipped»."""
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    for lang, problems, all_ok, skipped in (
        ("es", i18n.t("doctor.has_problems", "es"), "en orden", "no se revisaron"),
        ("en", i18n.t("doctor.has_problems", "en"), "in order", "were not checked"),
    ):
        result = script("doctor", "--offline", "--lang", lang, env=env)
        assert result.returncode == 18, result.stdout + result.stderr
        last = result.stdout.strip().splitlines()[-1]
        assert last == problems, result.stdout
        assert all_ok not in last and skipped not in last
