"""Frozen (PyInstaller onedir) vs source: start to first paint, side by side in one run.

Goal: frozen ≤ 1.1× source. Builds the frozen app first with `packaging/build-linux.sh`
(what `make dist` runs; ~25 s with PyInstaller's cache) so the figures are for the
current spec, unless --no-build. Also prints the onedir and .tar.gz sizes (goals
≤ 110 MiB and ≤ 45 MiB).
"""

from __future__ import annotations

import argparse
import compileall
import os
import subprocess
import tomllib

from common import PYTHON, ROOT, alternate, table, timed_run

MiB = 2**20


def main() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--no-build", action="store_true", help="measure dist/ as it is")
    args = parser.parse_args()
    if not args.no_build:
        subprocess.run(
            ["bash", str(ROOT / "packaging" / "build-linux.sh")],
            check=True,
            capture_output=True,
        )
    folder = ROOT / "dist" / "alegra-wizard"
    binary = folder / "alegra-wizard"
    # A pip install byte-compiles; a checkout under PYTHONDONTWRITEBYTECODE would not.
    compileall.compile_dir(str(ROOT / "wizard"), quiet=1)
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")

    def runner(cmd: list[str]):  # type: ignore[no-untyped-def]
        def run() -> float:
            ms, proc = timed_run(cmd, env=env)
            assert proc.returncode == 0, proc.stderr.decode()[-2000:]
            return ms

        return run

    series = alternate(
        args.rounds,
        {
            "frozen --smoke-test": runner([str(binary), "--smoke-test"]),
            "source --smoke-test": runner([PYTHON, "-m", "wizard", "--smoke-test"]),
        },
    )
    out = table(
        f"frozen vs source, start to first paint ({env['QT_QPA_PLATFORM']})", series, goal="≤ 1.1×"
    )
    onedir = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    out += f"\nonedir dist/alegra-wizard: {onedir / MiB:.1f} MiB (goal ≤ 110 MiB)\n"
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]
    archives = sorted((ROOT / "dist").glob(f"alegra-wizard-{version}-linux-*.tar.gz"))
    for archive in archives:
        size = archive.stat().st_size / MiB
        out += f"archive dist/{archive.name}: {size:.1f} MiB (goal ≤ 45 MiB)\n"
    return out


if __name__ == "__main__":
    print(main())
