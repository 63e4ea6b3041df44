"""Write resources/i18n/compiled/<name>.json from each resources/i18n/<name>.toml.

The TOML files are the catalog's source; the JSON beside them only makes loading
fast (see wizard.i18n.compile_file). Run after editing a TOML file:
    .venv/bin/python scripts/compile_catalog.py
tests/test_i18n.py fails while a compiled file is out of date.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wizard.i18n import compile_file  # noqa: E402

SOURCE = ROOT / "resources" / "i18n"
TARGET = SOURCE / "compiled"


def rendered() -> dict[Path, str]:
    """Each compiled file's path and exact text."""
    return {
        TARGET / f"{toml.stem}.json": json.dumps(
            compile_file(toml.read_bytes()), ensure_ascii=False, sort_keys=True, indent=1
        )
        + "\n"
        for toml in sorted(SOURCE.glob("*.toml"))
    }


def main() -> int:
    TARGET.mkdir(exist_ok=True)
    wanted = rendered()
    for stale in set(TARGET.glob("*.json")) - set(wanted):
        stale.unlink()
    for path, text in wanted.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
