"""The frozen app's entry point: the same `alegra-wizard` command as the console script.

Both executables of the spec start here (`alegra-wizard`, `alegra-wizard-cli`).
"""

import os
import sys


def give_a_windowed_app_streams() -> None:
    """Windows' windowed alegra-wizard.exe has no console: PyInstaller leaves sys.stdout
    and sys.stderr as None, and a stray write (a library's warning, `--result-json -`)
    would crash the wizard instead of going nowhere. Scripts use alegra-wizard-cli.exe."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


if __name__ == "__main__":
    give_a_windowed_app_streams()
    from wizard.__main__ import main

    sys.exit(main())
