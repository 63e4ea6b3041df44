"""Shared fixtures: hypothesis profiles, the CLI runners, the sandbox, environments without this
machine's CA bundles or proxies. Shared helpers live in tests/helpers/ (import them from there);
the wizard's fixtures come from the plugin tests/helpers/gui.py."""

from __future__ import annotations

import os
import re
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.helpers import cli, secret_service
from tests.helpers.cli import NO_PROXY_ENV, SCRIPT, CliResult, Run, isolated_network, store_for
from tests.helpers.secret_service import PrivateSecretService
from wizard.sandbox import DEMO_TOKEN

pytest_plugins = ["tests.helpers.gui"]

settings.register_profile("dev", max_examples=500, deadline=None)
settings.register_profile("ci", max_examples=10_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# Real widgets without a display (pytest-qt); screenshots use Xvfb instead.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_private_keyring: PrivateSecretService | None = None


def pytest_configure(config: pytest.Config) -> None:
    """Each pytest-xdist worker (make test-fast) gets its own Secret Service and HOME."""
    global _private_keyring
    if secret_service.wanted():
        _private_keyring = PrivateSecretService(os.environ["PYTEST_XDIST_WORKER"])
        _private_keyring.start()


def pytest_runtest_setup(item: pytest.Item) -> None:
    if _private_keyring is not None:
        _private_keyring.check_alive()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _private_keyring is not None:
        _private_keyring.stop()


# The fault deadlines: a case named for what it waits out (a silent or dripping server, a hung
# keyring, the sandbox's slow "lento" account) takes the client's whole timeout by design.
# Marked `slow` here, in one place, so `make test-fast` leaves them out; `make test` runs them.
# Mark anything else that waits out a deadline with @pytest.mark.slow.
SLOW_WORDS = re.compile(r"(?<![a-z])(silence|silent|drip|hangs?|hung|lento|slow)(?![a-z])")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_WORDS.search(item.name.lower()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """The CLI's environment: its own config dir, no inherited Alegra variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_")}
    env["ALEGRA_WIZARD_CONFIG_DIR"] = str(tmp_path / "config")
    return env


@pytest.fixture
def run_cli(cli_env: dict[str, str]):  # type: ignore[no-untyped-def]
    """`alegra-wizard ARGS`, in this process through the launcher (tests.helpers.cli); a
    child process with `process=True`, with `netns=True` (a private network namespace), and
    where only a process can run it (cli.needs_process: the keyring, the locale or the
    streams' encoding chosen by the environment; `credential get` into a pipe)."""

    def run(
        *args: str,
        stdin: str | bytes | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 60,
        netns: bool = False,
        process: bool = False,
    ) -> CliResult:
        full_env = {**cli_env, **(env or {})}
        if not (process or netns or cli.needs_process(args, full_env)):
            return cli.in_process(args, stdin=stdin or "", env=full_env)
        cmd = [sys.executable, "-m", "wizard", *args]
        if netns:
            cmd = isolated_network(cmd)
        proc = cli.run(cmd, input=stdin if stdin is not None else "", env=full_env, timeout=timeout)
        return CliResult(proc.returncode, proc.stdout, proc.stderr)

    return run


@pytest.fixture(scope="session")
def sandbox() -> Iterator[object]:
    from wizard.sandbox import Sandbox

    with Sandbox(slow_seconds=8.0) as server:
        yield server


@pytest.fixture
def no_env_trust(monkeypatch: pytest.MonkeyPatch) -> None:
    """This machine exports CA bundles that requests prefers: trust tests must not see them."""
    for var in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No inherited proxy settings: a loopback server must be reached directly."""
    for var in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.delenv("all_proxy", raising=False)


# --- the CLI tests' fixtures (tests/cli/) ---------------------------------------------


@pytest.fixture
def closed_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    yield port


@pytest.fixture
def script(cli_env: dict[str, str]):  # type: ignore[no-untyped-def]
    """`alegra-wizard ARGS` through the launcher in this process; the console script in a
    child process with `process=True` or where only a process can run it
    (cli.needs_process). stdin as bytes in any encoding."""

    def run(
        *args: str,
        stdin: bytes | str = b"",
        env: dict[str, str] | None = None,
        process: bool = False,
    ) -> Run:
        full_env = {**cli_env, **NO_PROXY_ENV, **(env or {})}
        if not (process or cli.needs_process(args, full_env)):
            done = cli.in_process(args, stdin=stdin, env=full_env)
            return Run(done.returncode, done.stdout, done.stderr)
        data = stdin.encode() if isinstance(stdin, str) else stdin
        proc = cli.run(
            [SCRIPT, *args], input=data, env=full_env, timeout=60, cwd=os.getcwd(), text=False
        )
        # Decoded leniently: what a narrow encoding made of the text is part of the test.
        return Run(
            proc.returncode,
            proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"),
        )

    return run


@pytest.fixture
def stored(cli_env):  # type: ignore[no-untyped-def]
    """Save profiles in the real Secret Service (scripts/with-keyring.sh) and the test's
    config folder; removed afterwards."""
    from wizard.store import Profile, Store

    st = Store(config_dir=Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"]))
    saved: list[str] = []

    def save(profile_id: str, token: str = DEMO_TOKEN, **fields: object) -> Store:
        fields.setdefault("email", "demo@alegra.test")
        st.save(Profile(id=profile_id, name=profile_id, **fields), token)  # type: ignore[arg-type]
        saved.append(profile_id)
        return st

    yield save
    for profile_id in saved:
        st.forget(profile_id)


@pytest.fixture
def keyring_cleanup(cli_env):  # type: ignore[no-untyped-def]
    yield
    st = store_for(cli_env)
    for profile in st.list_profiles():
        st.forget(profile.id)
