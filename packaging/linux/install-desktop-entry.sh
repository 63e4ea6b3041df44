#!/usr/bin/env bash
# Per-user menu entry and icon for the untarred app, no root needed.
# Run from the folder the archive was extracted to:  ./install-desktop-entry.sh
# Remove them again:                                   ./install-desktop-entry.sh --uninstall
# (Moving the folder later? Run it again from the new place.)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
entry="$data/applications/alegra-wizard.desktop"
icon="$data/icons/hicolor/256x256/apps/alegra-wizard.png"

refresh() {
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$entry" "$icon"
  refresh
  echo "Quitado / Removed: $entry"
  exit 0
fi

app="$here/alegra-wizard/alegra-wizard"
[ -x "$app" ] || { echo "No encuentro / Not found: $app" >&2; exit 1; }
case "$app" in
  *[\"\`\$\\]*) echo "Mueve la carpeta a una ruta sin comillas, \$, \` ni \\ / Move the folder to a path without quotes, \$, \` or \\" >&2; exit 1 ;;
esac
mkdir -p "$(dirname "$entry")" "$(dirname "$icon")"
cp "$here/alegra-wizard.png" "$icon"
# Exec: the absolute path, quoted (it may contain spaces); "|" can't be in it unescaped for sed.
escaped=$(printf '%s' "$app" | sed 's/[|&]/\\&/g')
sed "s|^Exec=.*|Exec=\"$escaped\"|" "$here/alegra-wizard.desktop" > "$entry"
chmod +x "$entry"
refresh
echo "Listo / Done: $entry"
