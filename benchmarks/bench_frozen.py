"""Frozen (PyInstaller onedir) vs source: start to first paint, side by side in one run.

Goal: frozen ≤ 1.1× source. Builds the frozen app first with `packaging/build-linux.sh`
(what `make dist` runs; ~25 s with PyInstaller's cache) so the figures are for the
current spec, unless --no-build. Also prints the onedir and .tar.gz sizes (goals
≤ 90 MiB and ≤ 36 MiB) and the .deb's (≤ 38 MiB); --compare OLD_FOLDER prints what each
cut saved against an older build.
"""

from __future__ import annotations

import argparse
import compileall
import gzip
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from common import PYTHON, ROOT, alternate, table, timed_run

MiB = 2**20


def main() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--no-build", action="store_true", help="measure dist/ as it is")
    parser.add_argument(
        "--compare", type=Path, metavar="OLD_FOLDER",
        help="only print what each cut saved against an older onedir folder",
    )  # fmt: skip
    args = parser.parse_args()
    if args.compare:
        return cuts(args.compare, ROOT / "dist" / "alegra-wizard")
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
    out += f"\nonedir dist/alegra-wizard: {onedir / MiB:.1f} MiB (goal ≤ 90 MiB)\n"
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]
    archives = sorted((ROOT / "dist").glob(f"alegra-wizard-{version}-linux-*.tar.gz"))
    for archive in archives:
        size = archive.stat().st_size / MiB
        out += f"archive dist/{archive.name}: {size:.1f} MiB (goal ≤ 36 MiB)\n"
    for deb in sorted((ROOT / "dist").glob(f"alegra-wizard_{version}_*.deb")):
        out += f"package dist/{deb.name}: {deb.stat().st_size / MiB:.1f} MiB (goal ≤ 38 MiB)\n"
    return out


def cuts(old: Path, new: Path) -> str:
    """Files in OLD but not NEW, grouped by the cut that removed them: MiB in the folder
    and gzip -9'd one by one (close to what they cost in the .tar.gz)."""
    sys.path.insert(0, str(ROOT / "packaging"))
    import system_libs

    def group(rel: str) -> str:
        name = rel.rsplit("/", 1)[-1]
        if rel.startswith("_internal/cryptography/") or name.startswith("_cffi_backend"):
            return "cryptography (and cffi)"
        for reason, pattern in system_libs.LEFT_TO_SYSTEM.items():
            if re.match(pattern, name):
                return f"from the system: {reason}"
        return "other"

    def files(folder: Path) -> dict[str, Path]:
        return {
            str(p.relative_to(folder)): p
            for p in folder.rglob("*")
            if p.is_file() and not p.is_symlink()
        }

    before, after = files(old), files(new)
    saved: dict[str, list[float]] = {}
    for rel in sorted(set(before) - set(after)):
        data = before[rel].read_bytes()
        row = saved.setdefault(group(rel), [0.0, 0.0])
        row[0] += len(data) / MiB
        row[1] += len(gzip.compress(data, 9)) / MiB
    total = [sum(p.stat().st_size for p in d.values()) / MiB for d in (before, after)]
    out = "| cut | MiB (onedir) | MiB gzip -9 |\n|---|---|---|\n"
    for name, (raw, packed) in sorted(saved.items(), key=lambda kv: -kv[1][0]):
        out += f"| {name} | -{raw:.1f} | -{packed:.1f} |\n"
    out += f"\nonedir {total[0]:.1f} → {total[1]:.1f} MiB\n"
    return out


if __name__ == "__main__":
    print(main())
