"""Helpers shared by the tests. Import them from here (tests.helpers.<module>), never from a
sibling test module or a conftest: tests/test_architecture.py fails otherwise.

- tests.helpers          ROOT, CANARY_TOKEN
- tests.helpers.cli      in_process (the CLI through wizard.launch.main with in-memory streams),
                         run (a child process), needs_process, CliResult, isolated_network,
                         and what tests/cli/ shares (check, assert_outcome, Run, closed_pipe...);
                         the run_cli and script fixtures are in tests/conftest.py
- tests.helpers.keyrings real_keyring, write_profiles, MemoryBackend and backends that fail on cue
- tests.helpers.subprocess_keyrings  those backends as KeyringBackend classes, for subprocesses only
- tests.helpers.faultserver  the raw-socket adversarial server, its behaviours and assertions
- tests.helpers.gui      the wizard fixtures (a pytest plugin, see tests/conftest.py) and the
                         moves a user makes (go_to, fill, save_and_finish, visible_texts)
- tests.helpers.gui_driver  `python -m tests.helpers.gui_driver SCENARIO ARGS`: the real
                         wizard.app.main() driven through a user's moves in a child process
- tests.helpers.connections  the saved-connections view's profiles, dialogs and AT-SPI app
- tests.helpers.files    the files a run wrote, for leak scans
- tests.helpers.waiting  wait_until: waiting on a condition instead of sleeping
- tests.helpers.qt_wait  wait_until, settle: the same where a script runs its own Qt loop
- tests.helpers.secret_service  a private Secret Service and HOME per pytest-xdist worker
- tests.helpers.frozen   the frozen app, built once per run (test_frozen.py, test_deb.py)
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

# A token-shaped canary: if these characters show up anywhere they must not, a test fails.
CANARY_TOKEN = "c4n4ryt0k3n5ecr3t9z7"
