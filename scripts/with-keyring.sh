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
# The bus activates nothing (scripts/test-session-bus.conf says why). The daemon stays in the
# foreground, our child, and the command starts only once it owns org.freedesktop.secrets:
# started in the background, gnome-keyring returns before it has unlocked login.keyring and
# claimed the name. Its messages go to TEST_HOME/keyring.log.
dbus-run-session --config-file="$(dirname "$0")/test-session-bus.conf" -- bash -c '
  echo -n test-keyring-password |
    gnome-keyring-daemon --foreground --unlock --components=secrets \
      >/dev/null 2>"$TEST_HOME/keyring.log" &
  for _ in $(seq 400); do
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
      grep -q "boolean true" && exec "$@"
    sleep 0.05
  done
  echo "with-keyring: gnome-keyring-daemon did not come up (see $TEST_HOME/keyring.log)" >&2
  exit 1' with-keyring "$@"
