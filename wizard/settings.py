"""The window's remembered choices (language, country).

settings.json sits beside profiles.json in the config folder. It never holds a token, an
email or anything about a connection: only what page one asks. Read before the first paint,
so it stays small and cheap (no platformdirs import on Linux: the XDG rule is two lines).
Written atomically, 0600, like every file of ours (wizard.private_files).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

FILE_NAME = "settings.json"
FORMAT = 1
KEYS = ("lang", "country")


def config_dir(app_id: str = "alegra-wizard") -> Path:
    """Our config folder (the store's and settings.json's) for the app id of the app file
    (wizard.appconfig; the default id keeps today's folder): the platform's
    user_config_dir(<app id>). ALEGRA_WIZARD_CONFIG_DIR overrides the default id's folder;
    another id gets its own folder inside it, so two products never share a profiles.json.
    On Linux the XDG rule in two lines, without platformdirs' import cost."""
    override = os.environ.get("ALEGRA_WIZARD_CONFIG_DIR")
    if override:
        return Path(override) if app_id == "alegra-wizard" else Path(override) / app_id
    if sys.platform not in ("win32", "darwin"):
        base = os.environ.get("XDG_CONFIG_HOME", "").strip()
        return Path(base if os.path.isabs(base) else Path.home() / ".config") / app_id
    import platformdirs

    # appauthor=False: platformdirs' default author is the app's name again, which makes
    # Windows' folder %LOCALAPPDATA%\alegra-wizard\alegra-wizard; the README and the
    # installer say %LOCALAPPDATA%\alegra-wizard (macOS has no author level).
    return Path(platformdirs.user_config_dir(app_id, appauthor=False))


def settings_file(app_id: str = "alegra-wizard") -> Path:
    return config_dir(app_id) / FILE_NAME


def load(app_id: str = "alegra-wizard") -> dict[str, str]:
    """What was remembered; {} when nothing was, or the file is unreadable or odd."""
    try:
        with open(settings_file(app_id), "rb") as handle:
            raw = handle.read(64 * 1024)
    except OSError:
        return {}
    import json  # only when there is a file: the first run's first paint does without

    try:
        data = json.loads(raw)
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k in KEYS if isinstance(v := data.get(k), str) and len(v) <= 16}


def save(values: dict[str, str], app_id: str = "alegra-wizard") -> None:
    """Remember `values` (only KEYS), keeping what else was remembered."""
    merged = {**load(app_id), **{k: v for k, v in values.items() if k in KEYS}}
    import json

    payload = json.dumps({"format": FORMAT, **merged}, indent=2).encode() + b"\n"
    from wizard.private_files import write_private

    write_private(settings_file(app_id), payload, make_folder=True)
