"""The wizard's fixtures are in tests/helpers/gui.py (a plugin that tests/conftest.py loads).

The names below are only for branches written before tests/helpers/ existed: import them from
tests.helpers.gui (tests/test_architecture.py fails on an import from a conftest)."""

from tests.helpers.gui import fill, focus_widget, go_to, save_and_finish

__all__ = ["fill", "focus_widget", "go_to", "save_and_finish"]
