"""Frozen (PyInstaller onedir) vs source: start to first paint, side by side in one run.

Goal: frozen ≤ 1.1× source. Needs the frozen app: `make dist` (or it builds one).
Also prints the onedir and archive sizes (goals ≤ 110 MiB and ≤ 45 MiB).
"""

from __future__ import annotations

import argparse
import os
import subprocess

from common import PYTHON, ROOT, alternate, table, timed_run


def main() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    binary = ROOT / "dist" / "alegra-wizard" / "alegra-wizard"
    if not binary.exists():
        subprocess.run(["bash", str(ROOT / "packaging" / "build-linux.sh")], check=True)
    import compileall

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
    onedir = sum(
        p.stat().st_size for p in binary.parent.rglob("*") if p.is_file() and not p.is_symlink()
    )
    archives = sorted((ROOT / "dist").glob("alegra-wizard-*.tar.gz"))
    out += f"\nonedir: {onedir / 2**20:.1f} MiB (goal ≤ 110 MiB)\n"
    if archives:
        size = archives[-1].stat().st_size / 2**20
        out += f"archive {archives[-1].name}: {size:.1f} MiB (goal ≤ 45 MiB)\n"
    return out


if __name__ == "__main__":
    print(main())
