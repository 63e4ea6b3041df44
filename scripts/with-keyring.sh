#!/usr/bin/env bash
# Run a command with a throwaway HOME and a real, unlocked Secret Service (gnome-keyring
# inside its own D-Bus session). Exports TEST_HOME for tests that scan it for leaks.
# KEEP_TEST_HOME=1 keeps the folder afterwards.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "missing $tool: run 'bash scripts/install-system-deps.sh test' as root" >&2; exit 1; }
done
TEST_HOME=$(mktemp -d "${TMPDIR:-/tmp}/alegra-wizard-test-home.XXXXXX")
chmod 700 "$TEST_HOME"
cleanup() { [ "${KEEP_TEST_HOME:-0}" = 1 ] || rm -rf "$TEST_HOME"; }
trap cleanup EXIT
mkdir -p "$TEST_HOME"/{.config,.local/share,.cache,run}
chmod 700 "$TEST_HOME/run"
export TEST_HOME HOME="$TEST_HOME" XDG_CONFIG_HOME="$TEST_HOME/.config" \
  XDG_DATA_HOME="$TEST_HOME/.local/share" XDG_CACHE_HOME="$TEST_HOME/.cache" \
  XDG_RUNTIME_DIR="$TEST_HOME/run"
dbus-run-session -- bash -c '
  echo -n test-keyring-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"' with-keyring "$@"
