"""Smoke test of a built frozen app folder, on any OS: what the release workflow runs on
its Windows, macOS and Linux runners (tests/test_frozen.py runs it here on Linux).

    python packaging/smoke_frozen.py dist/alegra-wizard            # Windows, Linux
    python packaging/smoke_frozen.py "dist/Alegra Wizard.app/Contents/MacOS"

Both entry points (`alegra-wizard`, on Windows the windowed EXE; `alegra-wizard-cli`, the
console one): version, the window's start-up offscreen, `check` against the sandbox
(token on stdin) with its exit codes, and `alegra-wizard-keyring-check` against the
OS keyring (--no-keyring skips it). --platform-plugin: the window's start-up once more with
the OS's own Qt platform plugin (windows, cocoa, xcb), as a user starts it, instead of
offscreen: a desktop session is needed (the release workflow's runners have one). Prints one
line per check; exit 1 if any failed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wizard.sandbox import DEMO_TOKEN, Sandbox  # noqa: E402

WINDOWS = os.name == "nt"


def run(binary: Path, *args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_")}
    clean.update(env)
    clean = {k: v for k, v in clean.items() if v}  # "": unset (QT_QPA_PLATFORM: Qt's default)
    return subprocess.run(
        [str(binary), *args], input=stdin, capture_output=True, text=True, encoding="utf-8",
        env=clean, timeout=120, check=False,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the folder holding the executables")
    parser.add_argument("--no-keyring", action="store_true", help="skip the keyring check")
    parser.add_argument(
        "--platform-plugin", action="store_true", help="start the window with the OS's plugin too"
    )
    args = parser.parse_args(argv)
    suffix = ".exe" if WINDOWS else ""
    app, cli, probe = (
        args.folder / f"alegra-wizard{name}{suffix}" for name in ("", "-cli", "-keyring-check")
    )
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    version = f"alegra-wizard {pyproject['project']['version']}"
    failures = []

    def expect(what: str, ok: bool, detail: str = "") -> None:
        print(f"{'ok  ' if ok else 'FAIL'} {what}" + ("" if ok else f": {detail[-1500:]}"))
        if not ok:
            failures.append(what)

    out = run(cli, "--version")
    expect("alegra-wizard-cli --version", (out.returncode, out.stdout.strip()) == (0, version),
           out.stdout + out.stderr)  # fmt: skip
    out = run(app, "--version")
    # The windowed Windows EXE has no console: no output to read, only its exit code.
    shown = "" if WINDOWS else version
    expect("alegra-wizard --version", (out.returncode, out.stdout.strip()) == (0, shown),
           out.stdout + out.stderr)  # fmt: skip
    for binary in (app, cli):
        out = run(binary, "--smoke-test", QT_QPA_PLATFORM="offscreen")
        expect(f"{binary.name} --smoke-test (offscreen)", out.returncode == 0, out.stderr)
    if args.platform_plugin:
        out = run(app, "--smoke-test", QT_QPA_PLATFORM="")
        expect(f"{app.name} --smoke-test (the OS's platform plugin)", out.returncode == 0,
               out.stderr)  # fmt: skip
    with Sandbox() as sandbox:
        base = ("check", "--json", "--email", "demo@alegra.test", "--token-stdin")
        out = run(cli, *base, "--base-url", sandbox.url, stdin=DEMO_TOKEN)
        good = out.returncode == 0 and json.loads(out.stdout or "{}").get("code") == "connected"
        expect("check against the sandbox: connected, exit 0", good, out.stdout + out.stderr)
        out = run(cli, *base, "--base-url", sandbox.url, stdin="f" * 20)
        bad = out.returncode == 4 and json.loads(out.stdout or "{}").get("code") == "unauthorized"
        expect("a refused token: unauthorized, exit 4", bad, out.stdout + out.stderr)
        expect("the token is not echoed", DEMO_TOKEN not in out.stdout + out.stderr)
    if not args.no_keyring:
        out = run(probe)
        report = json.loads(out.stdout or "{}")
        saved = out.returncode == 0 and report.get("removed") is True
        expect("alegra-wizard-keyring-check saves, reads back and removes a secret", saved,
               out.stdout + out.stderr)  # fmt: skip
        print(f"     keyring backend: {report.get('backend')}")
    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
